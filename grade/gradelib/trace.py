"""Why the machine reset: the exceptions that ended in a triple fault.

QEMU under -no-reboot exits with status 0 after a triple fault, saying no
more.  The grader boots the same machine again with `-d int,cpu_reset`
and reads QEMU's interrupt log: the exception that started the fatal
chain (vector, error code, rip, CR2) and what went wrong delivering it.
"""
import re

EXCEPTIONS = {
    0: "#DE (divide error)", 1: "#DB (debug)", 2: "NMI", 3: "#BP (breakpoint)",
    4: "#OF (overflow)", 5: "#BR (bound range exceeded)",
    6: "#UD (invalid opcode)", 7: "#NM (device not available)",
    8: "#DF (double fault)", 10: "#TS (invalid TSS)",
    11: "#NP (segment not present)", 12: "#SS (stack-segment fault)",
    13: "#GP (general protection)", 14: "#PF (page fault)",
    16: "#MF (x87 floating-point)", 17: "#AC (alignment check)",
    18: "#MC (machine check)", 19: "#XM (SIMD floating-point)",
}
# What an exception raised while the CPU delivers another one says.
WHILE_DELIVERING = {
    13: "the IDT gate of vector {v} is missing or malformed (not an "
        "interrupt gate, or a bad code selector): is idt_set_gate written "
        "and the IDT loaded (lidt)?",
    11: "the IDT gate of vector {v} is not present: is idt_set_gate "
        "written, and does it set the present bit?",
    14: "the CPU could not push the exception frame: the stack is not "
        "mapped (a stack overflow? #DF needs its own IST stack)",
    10: "the TSS is invalid (gdt_init, ltr, the IST stacks)",
    12: "the stack segment is bad while pushing the exception frame",
}
ENTRY_RX = re.compile(r"^\s*\d+: v=([0-9a-f]+) e=([0-9a-f]+) i=(\d) cpl=(\d) "
                      r"IP=[0-9a-f]+:([0-9a-f]+)(?:.*\bCR2=([0-9a-f]+))?")
CHECK_RX = re.compile(r"^check_exception old: 0x([0-9a-f]+) new 0x([0-9a-f]+)")
CR2_RX = re.compile(r"^CR0=[0-9a-f]+ CR2=([0-9a-f]+)")


def name(v):
    return f"{v} {EXCEPTIONS.get(v, f'vector {v:#x}')}"


def explain(log, symbolize=None):
    """Lines that explain the last triple fault in a QEMU `-d int,cpu_reset`
    log (text), or [] if it shows none.  symbolize(addr) names a rip."""
    lines = log.split("\n")
    end = next((i for i in range(len(lines) - 1, -1, -1)
                if lines[i].startswith("Triple fault")), None)
    if end is None:
        return []
    # the fatal chain starts with the last exception raised afresh
    start = next((i for i in range(end, -1, -1)
                  if (m := CHECK_RX.match(lines[i])) and m[1] == "ffffffff"),
                 None)
    if start is None:
        return ["the CPU reset without an exception QEMU logged"]
    first = int(CHECK_RX.match(lines[start])[2], 16)
    entry = next((ENTRY_RX.match(ln) for ln in lines[start + 1:end]
                  if ENTRY_RX.match(ln)), None)
    out = []
    if entry:
        rip = int(entry[5], 16)
        where = symbolize(rip) if symbolize else None
        cr2 = entry[6] or next((m[1] for ln in lines[start + 1:end]
                                if (m := CR2_RX.match(ln))), None)
        err = int(entry[2], 16)
        desc = (f"first exception: {name(int(entry[1], 16))} error "
                f"{err:#x} at rip {rip:#018x}" +
                (f" {where}" if where and where != "??" else "") +
                (f", cpl {entry[4]}" if entry[4] != "0" else "") +
                (f", CR2 0x{int(cr2, 16):016x}" if cr2 is not None else ""))
        # a hardware interrupt whose delivery failed shows just before it
        prev = next((ENTRY_RX.match(ln) for ln in reversed(lines[:start])
                     if ENTRY_RX.match(ln)), None)
        if prev and int(prev[1], 16) >= 32 and prev[5] == entry[5] and \
                int(entry[1], 16) in (11, 13) and first in (11, 13):
            desc += (f" (raised delivering interrupt vector "
                     f"{int(prev[1], 16):#x}: its IDT gate is missing?)")
        out.append(desc)
    else:
        out.append(f"first exception: {name(first)}")
    # then each exception raised while delivering the one before (QEMU
    # logs the #DF that the CPU makes of some pairs as its own entry)
    chain, hint = [], None
    for ln in lines[start + 1:end + 1]:
        m, e = CHECK_RX.match(ln), ENTRY_RX.match(ln)
        if e and chain and int(e[1], 16) == 8 and "#DF" not in chain[-1]:
            chain[-1] += ", which makes a #DF (double fault)"
        if not m or m[1] == "ffffffff":
            continue
        old, new = int(m[1], 16), int(m[2], 16)
        chain.append(f"{name(new)} while delivering "
                     f"{EXCEPTIONS.get(old, old).split(' ')[0]}")
        if hint is None and new in WHILE_DELIVERING:
            hint = WHILE_DELIVERING[new].format(v=old)
    chain.append("triple fault (the CPU reset)")
    out.append("then: " + "; ".join(chain))
    if hint:
        out.append("hint: " + hint)
    return out
