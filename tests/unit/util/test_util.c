/*
 * test_util.c - the capped buffer, the arena, the vector growth rule, the
 * allocator hook and the per-thread error message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

static void test_buf_cap(void **state)
{
    (void)state;
    emb_buf b;
    emb_buf_init(&b, 10);
    assert_string_equal(emb_buf_cstr(&b), "");
    assert_int_equal(emb_buf_puts(&b, "0123456789"), EMB_OK);
    assert_int_equal(emb_buf_putc(&b, 'x'), EMB_ETOOBIG);
    assert_string_equal(emb_buf_cstr(&b), "0123456789"); /* unchanged on refusal */
    emb_buf_clear(&b);
    assert_int_equal(emb_buf_printf(&b, "%d-%s", 42, "ab"), EMB_OK);
    assert_string_equal(emb_buf_cstr(&b), "42-ab");
    assert_int_equal(emb_buf_printf(&b, "%s", "far too long for it"), EMB_ETOOBIG);
    emb_buf_dispose(&b);
}

static void test_buf_json(void **state)
{
    (void)state;
    emb_buf b;
    emb_buf_init(&b, 1024);
    assert_int_equal(emb_buf_json_str(&b, "a\"b\\c\n\x01Ü"), EMB_OK);
    assert_string_equal(emb_buf_cstr(&b), "\"a\\\"b\\\\c\\n\\u0001Ü\"");
    emb_buf_dispose(&b);
}

static void test_arena(void **state)
{
    (void)state;
    emb_arena a;
    emb_arena_init(&a, 1 << 20);
    char *s = emb_arena_strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    void *big = emb_arena_alloc(&a, 200000);   /* larger than a chunk */
    assert_non_null(big);
    memset(big, 1, 200000);
    for (int i = 0; i < 1000; i++)
        assert_non_null(emb_arena_alloc(&a, 100));
    assert_null(emb_arena_alloc(&a, 2 << 20));  /* over the cap */
    assert_true(((uintptr_t)emb_arena_alloc(&a, 3) & 7) == 0);
    emb_arena_dispose(&a);
}

static void test_grow(void **state)
{
    (void)state;
    int *v = NULL;
    size_t n = 0;
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(emb_grow(&v, n, sizeof(int), 1000), EMB_OK);
        v[n++] = i;
    }
    assert_int_equal(emb_grow(&v, n, sizeof(int), 1000), EMB_ETOOBIG);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(v[i], i);
    emb_free(v);
}

static size_t live;
static void *counting(void *ud, void *p, size_t o, size_t n)
{
    (void)ud;
    (void)o;
    if (n == 0) {
        if (p)
            live--;
        free(p);
        return NULL;
    }
    if (!p)
        live++;
    return realloc(p, n);
}

static void test_allocator_hook(void **state)
{
    (void)state;
    emb_set_allocator(counting, NULL);
    emb_lists *ls = NULL;
    emb_source s = emb_bundled_un_list();
    assert_int_equal(emb_lists_open(&ls, &s, 1), EMB_OK);
    assert_true(live > 0);
    emb_lists_free(ls);
    assert_int_equal(live, 0);   /* every allocation went through the hook and came back */
    emb_set_allocator(NULL, NULL);
}

static void *other_thread(void *arg)
{
    (void)arg;
    emb_err_set(EMB_EPARSE, "thread error");
    return NULL;
}

static void test_error_per_thread(void **state)
{
    (void)state;
    assert_int_equal(emb_err_set(EMB_EIO, "main %d", 1), EMB_EIO);
    pthread_t t;
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, NULL);
    assert_string_equal(emb_err_last(), "main 1");
    assert_string_equal(emb_strerror(EMB_ETOOBIG), "input exceeds a size limit");
    /* adding context to the previous message, which is the usual idiom */
    emb_err_set(EMB_EPARSE, "inner");
    emb_err_set(EMB_EPARSE, "outer: %s", emb_err_last());
    assert_string_equal(emb_err_last(), "outer: inner");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_cap),  cmocka_unit_test(test_buf_json),
        cmocka_unit_test(test_arena),    cmocka_unit_test(test_grow),
        cmocka_unit_test(test_allocator_hook), cmocka_unit_test(test_error_per_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
