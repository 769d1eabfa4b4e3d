"""The capture form (SPEC §3) as files: reading and writing CSV / XLSX, and the empty template.

Pure file work: no database here. `form` names the columns; `reading` turns a file into rows of
cells; `writing` streams rows out to a private (0600) file; `template` builds the Excel form.
openpyxl is imported only by the functions that touch .xlsx files.
"""
