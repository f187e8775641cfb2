"""Pages of the reception context: sessions, station rules and sign-in codes, the deputy's own
sessions and sign-in, attendance notices and absence steps."""
