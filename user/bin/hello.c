/* The smallest musl program: one line through stdio, then exit(0). */
#include <stdio.h>

int
main(void)
{
	printf("Hello from user space!\n");
	return 0;
}
