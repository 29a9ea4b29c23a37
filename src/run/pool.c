/* pool.c - the run's threads, kept from round to round (block.c gives
 * them their jobs): workers that wait for a job, or do something useful
 * (decode the input ahead) while they wait. */
#include "pool.h"

static void *worker_main(void *arg)
{
    const struct worker_arg *wa = arg;
    pool *p = wa->pool;
    uint64_t seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        bool idle_done = false; /* idle found nothing to do since the last wake */
        while (p->gen == seen && !p->quit) {
            if (p->idle && !idle_done) {
                bool (*idle)(void *) = p->idle;
                void *iarg = p->idle_arg;
                p->idling++;
                pthread_mutex_unlock(&p->mu);
                idle_done = !idle(iarg);
                pthread_mutex_lock(&p->mu);
                if (--p->idling == 0) pthread_cond_broadcast(&p->done);
                continue; /* gen may have moved meanwhile */
            }
            pthread_cond_wait(&p->go, &p->mu);
            idle_done = false;
        }
        if (p->quit) break;
        seen = p->gen;
        if (wa->k >= p->active) continue;
        pthread_mutex_unlock(&p->mu);
        p->fn(p->arg, wa->k);
        pthread_mutex_lock(&p->mu);
        if (--p->pending == 0) pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void esf_pool_start(pool *p, unsigned n)
{
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    p->n = n;
    for (unsigned k = 1; k < n; k++) {
        p->wa[k] = (struct worker_arg){p, k};
        p->started[k] = esf_thread_start(&p->tid[k], worker_main, &p->wa[k]) == 0;
    }
}

void esf_pool_stop(pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (unsigned k = 1; k < p->n; k++)
        if (p->started[k]) pthread_join(p->tid[k], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
}

void esf_pool_idle(pool *p, bool (*idle)(void *), void *arg)
{
    pthread_mutex_lock(&p->mu);
    p->idle = idle, p->idle_arg = arg;
    if (idle) pthread_cond_broadcast(&p->go);
    while (p->idling) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void esf_pool_run(pool *p, unsigned active, void (*fn)(void *, unsigned), void *arg)
{
    unsigned workers = 0;
    for (unsigned k = 1; k < active; k++) workers += p->started[k];
    pthread_mutex_lock(&p->mu);
    p->fn = fn, p->arg = arg, p->active = active, p->pending = workers;
    p->gen++;
    if (workers) pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (unsigned k = 0; k < active; k++)
        if (!k || !p->started[k]) fn(arg, k);
    pthread_mutex_lock(&p->mu);
    while (p->pending) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

