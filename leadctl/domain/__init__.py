"""Pure rules of the playbook: no database, no clock, no printing."""
