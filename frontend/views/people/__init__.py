"""Pages of the people context: the deputy list and its export, a deputy's card and record, staff forms
(deputy, mandate, stationing), a deputy's own profile (我的资料), the venues' deputy groups, the public
directory, the photos, and 结对联系 (pairing). Routes: frontend/routes/people.py.

Reads come from people.selectors (deputies_visible_to: the directory every member sees;
deputies_managed_by: full records), writes from people.services; the services decide who may write.
"""
