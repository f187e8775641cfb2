"""Tests of the access context: members, roles and scopes."""
