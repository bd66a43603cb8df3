#!/bin/sh
# Runs the unit-test programs given as arguments and sums cmocka's
# counts into one line: "unit: N passed, N failed". A program that dies
# before its summary (a sanitizer report, a crash) counts as one failure.
passed=0
failed=0
for t in "$@"; do
	echo "unit: running $t"
	out=$(CMOCKA_MESSAGE_OUTPUT=stdout "$t" 2>&1)
	status=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	if [ -z "$p" ] && [ -z "$f" ]; then
		echo "unit: $t ended (status $status) before its summary"
		f=1
	elif [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
