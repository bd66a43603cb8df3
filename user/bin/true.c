/* Does nothing and succeeds: the cheapest program to execve (see bench). */
int
main(void)
{
	return 0;
}
