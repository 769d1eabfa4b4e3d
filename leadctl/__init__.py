"""leadctl: run a sales team's lead pipeline by its playbook, from the command line."""

__version__ = "0.1.0"
