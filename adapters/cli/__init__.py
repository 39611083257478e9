"""The ``d1store`` command: import, browse and export conversations through the service layer."""
