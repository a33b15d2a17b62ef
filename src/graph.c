/* graph.c: see graph.h. */
#include "config.h"
#include "graph.h"
