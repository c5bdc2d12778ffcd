"""A process that installs the interrupt guard and then waits to be signalled.

argv: MARKER_FILE MODE, where MODE is
  step      -- sleep as a step would; the signal arrives there
  shielded  -- run a (slow) restore under guard.shielded(); the signal arrives there
Prints "ready" when the signal may be sent. The restore (on_interrupt) appends
"restore-start <signum>" and "restore-end <signum>" to MARKER_FILE and takes
RESTORE_SECONDS (env, default 1.5).
"""

import os
import sys
import time

from acceptance.safety import interrupts

marker, mode = sys.argv[1], sys.argv[2]
RESTORE_SECONDS = float(os.environ.get("RESTORE_SECONDS", "1.5"))


def note(text):
    with open(marker, "a") as file:
        file.write(text + "\n")


def on_interrupt(signum):
    note(f"restore-start {signum}")
    time.sleep(RESTORE_SECONDS)  # a second signal may land here
    note(f"restore-end {signum}")


guard = interrupts.install(on_interrupt)
if mode == "step":
    print("ready", flush=True)
    time.sleep(60)
    note("step finished")  # must never happen
elif mode == "shielded":
    with guard.shielded():
        note("shielded-start")
        print("ready", flush=True)
        time.sleep(RESTORE_SECONDS)
        note("shielded-end")
    note("after shield")  # a signal inside the shield must not stop the run here
print("exiting normally", flush=True)
