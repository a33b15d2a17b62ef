/* plan.h: placeholder, see plan.c */
#ifndef RT_PLAN_H
#define RT_PLAN_H
#endif
