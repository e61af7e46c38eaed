from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from . import db

        # Needed by the SQLite append-only trigger (see audit/db.py); without it every DELETE there fails.
        connection_created.connect(db.register_function, dispatch_uid="audit_flushing_function")
        db.allow_deletes_during_flush()
