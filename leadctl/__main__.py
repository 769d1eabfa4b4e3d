from leadctl.entry import run

run()
