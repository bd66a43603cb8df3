"""Earlier labs' stubs, recognised in a failed test's serial output.

A lab branch made in the default (own) mode starts with the stubs of every
earlier lab: the student carries the earlier labs forward by merging the
previous lab's branch.  Until then a lab-3 test can fail for a lab-1
reason.  Every stub fails loudly in its own way; when a test of lab N
fails and its boots show the mark of a lab-K stub (K < N), the grader
says `finish or merge lab K first: ...` beside the failure.
"""
import re
import threading

from .core import REPO

# (lab, regex matching one whole serial line, the stub functions, what the
# line shows).  A stub function's file is found in the tree (the return
# type stands on its own line, so its definition starts `name(`).  `sure`:
# only the stub prints this line; otherwise it is a symptom that the
# stubs are the likely cause of.  The first rule that matches a line wins.
STUBS = [
    (1, r".*<\?>.*", ["emit_number"], "numbers print as `<?>`", True),
    (1, r".*\bbacktrace: not implemented", ["backtrace_from", "mon_backtrace"],
     "it printed `backtrace: not implemented`", True),
    (1, r".*\bkerninfo: not implemented", ["mon_kerninfo"],
     "it printed `kerninfo: not implemented`", True),
    (1, r"(?:\w+: )?not implemented", ["memmap_print"],
     "it printed `{line}`", True),
    (1, r"boot: warning: no memory map from the boot loader",
     ["parse_mb1_mmap", "parse_mb2_mmap"], "the boot loader's memory map "
     "came out empty (`{line}`)", False),
    (2, r"KERNEL PANIC in .*: exception \d+: trap handling not implemented",
     ["exception"], "an exception panicked with `trap handling not "
     "implemented`", True),
    (2, r"boot: no timer interrupts.*", ["idt_set_gate", "pic_init",
                                         "pit_set_rate"],
     "the timer never ticked (`boot: no timer interrupts`)", False),
    (2, r"boot: time 0000-00-00 00:00:00.*", ["rtc_decode"],
     "the RTC reads `0000-00-00 00:00:00`", False),
    (3, r"vmm: cannot build page tables.*", ["buddy_alloc", "vmm_walk",
                                             "vmm_map_page"],
     "the kernel could not build its page tables (`{line}`)", False),
    (4, r"exec: load_segments is not written yet.*", ["load_segments"],
     "it printed `{line}`", True),
    (4, r"KERNEL PANIC in .*: proc_exit not implemented", ["proc_exit"],
     "it panicked with `proc_exit not implemented`", True),
    (4, r"KERNEL PANIC in .*: switch_to: context switch not implemented",
     ["switch_to"], "it panicked with `switch_to: context switch not "
     "implemented`", True),
]
_RULES = [(lab, re.compile(rx), fns, shows, sure)
          for lab, rx, fns, shows, sure in STUBS]
_where, _where_lock = {}, threading.Lock()


def where(func):
    """The file (relative to the tree) that defines kernel function func,
    or None."""
    with _where_lock:           # tests finish on several threads
        if func not in _where:
            rx = re.compile(rf"^{re.escape(func)}\(", re.M)
            _where[func] = next(
                (str(p.relative_to(REPO))
                 for p in sorted((REPO / "kernel").rglob("*.c"))
                 if rx.search(p.read_text(errors="replace"))), None)
        return _where[func]


def named(funcs):
    """`a or b (file)`, `a (file1), b (file2) or c (file3)`: the functions
    with the files that define them, each file said once."""
    groups = []                         # [[file, [funcs]]]
    for f in funcs:
        path = where(f)
        if groups and groups[-1][0] == path:
            groups[-1][1].append(f)
        else:
            groups.append([path, [f]])
    parts = [" or ".join(fs) + (f" ({path})" if path else "")
             for path, fs in groups]
    return ", ".join(parts[:-1]) + (" or " if len(parts) > 1 else "") + \
        parts[-1]


def earlier_stubs(lab, texts):
    """{earlier lab: [hint]} for the stub marks of labs below `lab` found
    in the serial texts, each hint once, in the order found."""
    found = {}
    for text in texts:
        for line in text.split("\n"):
            for k, rx, fns, shows, sure in _RULES:
                if not rx.fullmatch(line):
                    continue
                if k < lab:
                    what = shows.format(line=line.strip())
                    fn = named(fns)
                    hint = (f"{fn} is still the stub ({what})" if sure
                            else f"{what}: is {fn} still the stub?")
                    if hint not in found.setdefault(k, []):
                        found[k].append(hint)
                break
    return dict(sorted(found.items()))
