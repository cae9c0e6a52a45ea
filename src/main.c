/* precis: turns any web page into an answer. */
#include "precis/cli.h"

int main(int argc, char **argv)
{
    return precis_cli_main(argc, argv);
}
