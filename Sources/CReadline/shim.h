// GNU readline (Debian: libreadline-dev). readline.h needs FILE from stdio.h first.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
