/* spec.c: see spec.h. */
#include "config.h"
#include "spec.h"
