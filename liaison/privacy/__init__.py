"""Personal data: who may see whose phone and email (rule.py), the log of every view of them (log.py), the
page where the liaison office and the auditor read that log (views.py) and `manage.py purge_access_log`."""
