"""Persistence: tables, the engine and its connection rules, migrations, queries.

The only place that knows which database it talks to; dialect-specific SQL lives here alone.
"""
