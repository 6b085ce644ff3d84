"""The app for crash hunting (bench/crash_trials.sh with APPMOD=crash_probe:app): wsgi:app plus
switches that make a GC/thread race show up sooner or take a suspect out. Diagnosis only.

GEN0=100        run the cyclic GC's first generation every 100 allocations (default 700)
SWITCH=0.0005   hand the GIL over more often (default 0.005 s)
NOGC=1          no cyclic GC at all
ORMTREE=1       read draft trees as ORM units again (read_tree = load_tree), as saves and the unit
                fragment did when the SIGSEGV was first seen
"""
import gc
import os
import sys

if os.environ.get("GEN0"):
    gc.set_threshold(int(os.environ["GEN0"]), 5, 5)
if os.environ.get("SWITCH"):
    sys.setswitchinterval(float(os.environ["SWITCH"]))
if os.environ.get("NOGC"):
    gc.disable()
if os.environ.get("ORMTREE"):
    from app.drafts import service

    service.read_tree = service.load_tree

from wsgi import app  # noqa: E402,F401
