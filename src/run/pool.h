/* pool.h - the run's threads (pool.c).  Internal to the library. */
#ifndef ESF_POOL_H
#define ESF_POOL_H

#include "common/common.h"
#include "count/count.h" /* ESF_MAX_PARTS */

/* Workers 1..n-1 wait for a job: fn(arg, k) for k < active, the calling
 * thread doing k = 0 (and a worker's share when it could not be started).
 * The workers take no signal (esf_thread_start). */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    void (*fn)(void *arg, unsigned k);
    void *arg;
    unsigned active, pending, n;
    uint64_t gen;
    bool quit;
    bool started[ESF_MAX_PARTS];
    pthread_t tid[ESF_MAX_PARTS];
    /* between jobs, a waiting worker calls idle(idle_arg) while it does
     * something (decodes the input ahead); idling: workers in it now */
    bool (*idle)(void *arg);
    void *idle_arg;
    unsigned idling;
    struct worker_arg {
        void *pool;
        unsigned k;
    } wa[ESF_MAX_PARTS];
} pool;

/* Starts n - 1 workers (n <= ESF_MAX_PARTS); stops and joins them. */
void esf_pool_start(pool *p, unsigned n);
void esf_pool_stop(pool *p);
/* Sets what waiting workers do between jobs (NULL: nothing); returns once
 * no worker is in the one before. */
void esf_pool_idle(pool *p, bool (*idle)(void *), void *arg);
/* fn(arg, k) for every k < active, on the pool's threads; returns when all
 * are done. */
void esf_pool_run(pool *p, unsigned active, void (*fn)(void *, unsigned), void *arg);

#endif
