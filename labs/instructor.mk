# Instructor-only make rules, included by the Makefile when present.
# A student branch has no labs/ folder, so none of this reaches it.
#
# SOL=k builds the tree with the solutions of labs 1..k and the stubs of
# the others into build/solk: the skeleton of lab N is SOL=N-1. Without
# SOL every solution is in, and the artifacts are build/kernel.elf and
# build/nexaos.iso.

NLABS		:= 7
ifeq ($(origin SOL),undefined)
SOL		:= $(NLABS)
else ifeq ($(origin BUILD),file)
BUILD		:= build/sol$(SOL)$(if $(filter 1,$(DEBUG)),-debug)
endif
KDEFS		+= -DSOL=$(SOL)
USER_DEFS	+= -DSOL=$(SOL)	# lab 7 has holes in user space too

# make test: unit tests, every grader on the full tree, the skeleton proof.
TEST_CMD	= $(PYTHON) labs/runtests.py

help: help-instructor
.PHONY: help-instructor
help-instructor:
	@echo "make SOL=k ...     (instructor) build with the solutions of labs 1..k into build/solk"

# make labs DEST=dir [MODE=own|reference]: write the student branches.
MODE		?= own
.PHONY: labs
labs: | check-deps-test
	@test -n "$(DEST)" || { echo "usage: make labs DEST=<dir> [MODE=own|reference]"; exit 2; }
	$(PYTHON) labs/mklabs.py "$(DEST)" --mode $(MODE)
	$(PYTHON) labs/mklabs.py --check "$(DEST)"

# make batch LAB=N SUBMISSIONS=dir OUT=dir: grade many submissions.
.PHONY: batch
batch:
	@test -n "$(LAB)" -a -n "$(SUBMISSIONS)" -a -n "$(OUT)" || \
		{ echo "usage: make batch LAB=N SUBMISSIONS=<dir> OUT=<dir>"; exit 2; }
	$(PYTHON) labs/batch.py --lab $(LAB) "$(SUBMISSIONS)" "$(OUT)"

# make gradescope LAB=N [VISIBILITY=after_due_date] [MODE=own|reference]:
# build/gradescope/labN.zip, Gradescope's autograder for lab N (no LAB:
# every lab). labs/README.md says how to upload it.
VISIBILITY	?= visible
.PHONY: gradescope
gradescope: | check-deps-test
	@for n in $(or $(LAB),$(shell ls grade | sed -n 's/^lab\([0-9]*\)\.py$$/\1/p' | sort -n)); do \
		$(PYTHON) labs/gradescope.py bundle --lab $$n --mode $(MODE) \
			--visibility $(VISIBILITY) build/gradescope/lab$$n.zip || exit 1; \
	done
