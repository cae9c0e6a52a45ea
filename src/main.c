#include <stdio.h>
int main(void) { puts("precis"); return 0; }
