/* script.c: see script.h. */
#include "config.h"
#include "script.h"
