from leadctl.cli import run

run()
