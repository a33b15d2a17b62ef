/* plan.c: see plan.h. */
#include "config.h"
#include "plan.h"
