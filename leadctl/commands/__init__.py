"""The commands, one module per part of the playbook; `leadctl.cli` puts them on the app.

leads.py (add, edit, grade, assign, show, list), followup.py (follow, today), pipeline.py
(upgrade, close, review, wake), files.py (backup, template, import, export). Each command body
parses, calls one service and renders; services and views are imported inside the body, so
loading every command module costs next to nothing.
"""
