/*
 * Prints its argv on one line, "showargs: [argv0] [argv1] ...", and
 * nothing else: the interpreter of the #! scripts that scripts.c runs.
 * An argument longer than 40 bytes shows as "[<N bytes>]".
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	printf("showargs:");
	for (int i = 0; i < argc; i++) {
		if (strlen(argv[i]) > 40)
			printf(" [<%zu bytes>]", strlen(argv[i]));
		else
			printf(" [%s]", argv[i]);
	}
	printf("\n");
	return 0;
}
