"""Writes of the reception context, one module per workflow: schedule (rules, the yearly calendar,
moves and cancellations), rota, sign-in and attendance, records, reminders, attendance notices."""
