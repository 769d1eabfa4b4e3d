"""One function per command. Each opens one unit of work, applies the playbook's rules, and
returns a plain document (the JSON shape of the command) for render/ to print."""
