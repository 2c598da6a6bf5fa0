/*
 * test_translit_table.c - the table-driven transliterator against the iuliia
 * samples of its three Cyrillic schemes, the CLDR Russian BGN pairs (exact),
 * the CLDR Persian BGN pairs (with a tolerance), ICU's Russian-Latin/BGN, and
 * hand cases: pass-through, case, marks, output cap, empty input, scripts.
 * Test data: tests/data/translit/ (copied by scripts/gen_translit.py tables).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include "text/translit_table.h"

#define BUF 4096

/* Transliterate UTF-8 `in` into UTF-8 `out`. */
static void tr8(emb_scheme s, const char *in, char *out, size_t cap)
{
    UChar u[BUF], t[BUF];
    int32_t ul = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(u, BUF, &ul, in, -1, &st);
    assert_true(U_SUCCESS(st));
    int32_t tl = emb_translit_table(s, u, ul, t, BUF);
    assert_true(tl >= 0);
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)cap, NULL, t, tl, &st);
    assert_true(U_SUCCESS(st));
}

static int is_apostrophe(UChar32 c)
{
    return c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D ||
           c == 0x02B9 || c == 0x02BA || c == 0x00B7;
}

/* Comparison form of a romanisation: lower case, marks and format characters
 * removed (e-diaeresis -> e), apostrophe-like signs (BGN primes, GOST B
 * backticks, BGN's disambiguating middle dot) removed. iuliia writes BGN's
 * e-diaeresis with the Cyrillic letter, so Cyrillic ie reads as e.
 * `persian_ref` reads a CLDR Persian reference: its long vowels i-macron and
 * u-macron stand for the letters yeh and waw (y, v), and letters that CLDR
 * Persian-Latin-BGN leaves untransliterated (alef, Arabic yeh, alef maqsura,
 * ae) take their BGN values. */
static void cmp_form(const char *s, char *out, size_t cap, int persian_ref)
{
    UChar u[BUF], l[BUF], d[BUF];
    int32_t ul = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(u, BUF, &ul, s, -1, &st);
    int32_t ll = u_strToLower(l, BUF, u, ul, "", &st);
    for (int32_t i = 0; persian_ref && i < ll; i++) {
        if (l[i] == 0x012B)
            l[i] = 'y';
        else if (l[i] == 0x016B)
            l[i] = 'v';
    }
    int32_t dl = unorm2_normalize(unorm2_getNFDInstance(&st), l, ll, d, BUF, &st);
    assert_true(U_SUCCESS(st));
    int32_t o = 0;
    for (int32_t i = 0; i < dl; i++) {
        UChar c = d[i];
        int8_t t = (int8_t)u_charType(c);
        if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_FORMAT_CHAR ||
            is_apostrophe(c))
            continue;
        if (c == 0x0435)
            c = 'e';
        if (persian_ref && (c == 0x0627 || c == 0x0649))
            c = 'a';
        else if (persian_ref && c == 0x064A)
            c = 'y';
        else if (persian_ref && c == 0x06D5)
            c = 'h';
        d[o++] = c;
    }
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)cap, NULL, d, o, &st);
    assert_true(U_SUCCESS(st));
}

/* Consonant skeleton of a comparison form: w and v merged, vowels and
 * hyphens deleted, doubled letters single. */
static void skeleton(const char *s, char *out)
{
    size_t o = 0;
    for (; *s; s++) {
        char c = *s == 'w' ? 'v' : *s;
        if (strchr("aeiou-", c))
            continue;
        if (o && out[o - 1] == c)
            continue;
        out[o++] = c;
    }
    out[o] = '\0';
}

typedef struct pairs {
    char src[BUF];
    char exp[BUF];
} pairs;

/* Next `source<TAB>expected` line of f; 0 at the end. */
static int next_pair(FILE *f, pairs *p)
{
    char line[BUF];
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        memcpy(p->src, line, (size_t)(tab - line) + 1);
        memcpy(p->exp, tab + 1, strlen(tab + 1) + 1);
        return 1;
    }
    return 0;
}

/* Every pair of `path` must agree exactly (comparison forms); returns the count. */
static int check_exact(emb_scheme s, const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static pairs p;
    char got[BUF], a[BUF], b[BUF];
    int n = 0, bad = 0;
    while (next_pair(f, &p)) {
        tr8(s, p.src, got, sizeof(got));
        cmp_form(got, a, sizeof(a), 0);
        cmp_form(p.exp, b, sizeof(b), 0);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "%s: \"%s\" -> \"%s\", expected \"%s\"\n", path, p.src, a, b);
            bad++;
        }
        n++;
    }
    fclose(f);
    assert_int_equal(bad, 0);
    return n;
}

static void test_iuliia_samples(void **state)
{
    (void)state;
    assert_int_equal(check_exact(EMB_SCHEME_CYRL_BGN, "tests/data/translit/iuliia_bgn_pcgn.tsv"),
                     26);
    assert_int_equal(
        check_exact(EMB_SCHEME_CYRL_ICAO, "tests/data/translit/iuliia_icao_doc_9303.tsv"), 9);
    assert_int_equal(
        check_exact(EMB_SCHEME_CYRL_GOST, "tests/data/translit/iuliia_gost_779_alt.tsv"), 1);
}

static void test_cldr_russian(void **state)
{
    (void)state;
    assert_int_equal(check_exact(EMB_SCHEME_CYRL_BGN, "tests/data/translit/cldr_ru_bgn.tsv"), 83);
}

/* CLDR's Persian BGN pairs are vocalised (harakat in the source, vowels in the
 * reference) while the table drops harakat by design, so exact agreement is
 * low (8.1%: 34 of 421). Compared as consonant skeletons the agreement is
 * 96.2% (405 of 421; 95.6% over all 2,522 CLDR pairs). The rest: the table
 * gives the Arabic BGN values of th/dh/d for the letters theh, thal and dad
 * where Persian BGN has s/z/z (a deliberate choice: Arabic and Afghan names
 * dominate the lists, and the matcher treats th~s, dh~z~d as cheap edits),
 * and CLDR reads fatha+yeh as a vowel. The bound, 95%, fails any table change
 * that breaks a letter found in more than about 1% of the words. */
static void test_cldr_persian_tolerance(void **state)
{
    (void)state;
    FILE *f = fopen("tests/data/translit/cldr_fa_bgn.tsv", "r");
    assert_non_null(f);
    static pairs p;
    char got[BUF], a[BUF], b[BUF], sa[BUF], sb[BUF];
    int n = 0, exact = 0, skel = 0;
    while (next_pair(f, &p)) {
        tr8(EMB_SCHEME_ARAB_BGN, p.src, got, sizeof(got));
        cmp_form(got, a, sizeof(a), 0);
        cmp_form(p.exp, b, sizeof(b), 1);
        skeleton(a, sa);
        skeleton(b, sb);
        exact += strcmp(a, b) == 0;
        skel += strcmp(sa, sb) == 0;
        n++;
    }
    fclose(f);
    fprintf(stderr, "CLDR fa BGN: %d pairs, exact %.1f%%, consonant skeleton %.1f%%\n", n,
            100.0 * exact / n, 100.0 * skel / n);
    assert_true(n >= 400);
    assert_true(skel >= 0.95 * n);
}

/* The BGN table should be ICU Russian-Latin/BGN up to ASCII folding: run
 * both over every Cyrillic source in the test data plus a few names. */
static void test_icu_russian_bgn_equivalence(void **state)
{
    (void)state;
    UErrorCode st = U_ZERO_ERROR;
    UChar id[32];
    u_uastrcpy(id, "Russian-Latin/BGN");
    UTransliterator *icu = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        fprintf(stderr, "ICU Russian-Latin/BGN unavailable (%s): skipped\n", u_errorName(st));
        return;
    }
    static const char *const files[] = {
        "tests/data/translit/iuliia_bgn_pcgn.tsv", "tests/data/translit/iuliia_icao_doc_9303.tsv",
        "tests/data/translit/iuliia_gost_779_alt.tsv", "tests/data/translit/cldr_ru_bgn.tsv"};
    static const char *const names[] = {
        "Сергей Викторович Лавров", "Владимир Владимирович Путин", "Алексей Навальный",
        "Евгений Пригожин", "Дмитрий Медведев", "Сергей Шойгу", "Рамзан Ахматович Кадыров",
        "Олег Дерипаска", "Роман Абрамович", "Игорь Иванович Сечин", "Вагнер", "Объединённая",
        "ОБЪЕДИНЁННАЯ СУДОСТРОИТЕЛЬНАЯ КОРПОРАЦИЯ", "Ёлкин-Палкин", "Майя Плисецкая"};
    static pairs p;
    int n = 0, bad = 0;
    for (size_t k = 0; k < sizeof(files) / sizeof(files[0]) + sizeof(names) / sizeof(names[0]);
         k++) {
        FILE *f = NULL;
        if (k < sizeof(files) / sizeof(files[0])) {
            f = fopen(files[k], "r");
            assert_non_null(f);
        } else {
            snprintf(p.src, sizeof(p.src), "%s", names[k - sizeof(files) / sizeof(files[0])]);
        }
        while (f ? next_pair(f, &p) : 1) {
            UChar u[BUF];
            int32_t ul = 0, lim;
            char ours[BUF], theirs[BUF], a[BUF], b[BUF];
            st = U_ZERO_ERROR;
            u_strFromUTF8(u, BUF, &ul, p.src, -1, &st);
            lim = ul;
            utrans_transUChars(icu, u, &ul, BUF, 0, &lim, &st);
            assert_true(U_SUCCESS(st));
            u_strToUTF8(theirs, BUF, NULL, u, ul, &st);
            tr8(EMB_SCHEME_CYRL_BGN, p.src, ours, sizeof(ours));
            cmp_form(ours, a, sizeof(a), 0);
            cmp_form(theirs, b, sizeof(b), 0);
            if (strcmp(a, b) != 0) {
                fprintf(stderr, "\"%s\": table \"%s\", ICU \"%s\"\n", p.src, a, b);
                bad++;
            }
            n++;
            if (!f)
                break;
        }
        if (f)
            fclose(f);
    }
    utrans_close(icu);
    assert_true(n > 120);
    assert_int_equal(bad, 0);
}

typedef struct hcase {
    emb_scheme s;
    const char *in;
    const char *out;
} hcase;

static void test_hand_cases(void **state)
{
    (void)state;
    static const hcase cases[] = {
        {EMB_SCHEME_CYRL_BGN, "Ким Чен Ын", "kim chen yn"},
        {EMB_SCHEME_CYRL_BGN, "Шойгу", "shoygu"},
        {EMB_SCHEME_CYRL_BGN, "Юлия", "yuliya"},
        {EMB_SCHEME_CYRL_ICAO, "Юлия", "iuliia"},
        {EMB_SCHEME_CYRL_GOST, "Юлия", "yuliya"},
        {EMB_SCHEME_CYRL_BGN, "Сергей Лавров", "sergey lavrov"},
        {EMB_SCHEME_CYRL_ICAO, "Сергей Лавров", "sergei lavrov"},
        {EMB_SCHEME_CYRL_GOST, "Щукин Цыганов", "shhukin cyganov"},
        {EMB_SCHEME_CYRL_BGN, "Елена Воробьёва", "yelena vorobyeva"},
        {EMB_SCHEME_CYRL_BGN, "Объединённая", "obyedinennaya"},
        /* Ukrainian, Belarusian, Serbian, Kazakh letters: per letter, no language switch */
        {EMB_SCHEME_CYRL_BGN, "Київ Зеленський", "kiyiv zelenskiy"},
        {EMB_SCHEME_CYRL_ICAO, "Ґєї", "gyeyi"},
        {EMB_SCHEME_CYRL_BGN, "Лукашэнка Ўладзімір", "lukashenka wladzimir"},
        {EMB_SCHEME_CYRL_BGN, "Ђоковић Љубљана", "djokovic ljubljana"},
        {EMB_SCHEME_CYRL_BGN, "Нұрсұлтан Әбішұлы Назарбаев", "nursultan abishuly nazarbayev"},
        /* a stress mark is copied, and is transparent to the е-after-vowel rule */
        {EMB_SCHEME_CYRL_BGN, "Ма\xcc\x81ев", "ma\xcc\x81yev"},
        /* Arabic: consonant skeleton */
        {EMB_SCHEME_ARAB_BGN, "محمد", "mhmd"},
        {EMB_SCHEME_ARAB_BGN, "عبد الله", "bd allh"},
        {EMB_SCHEME_ARAB_BGN, "عبدالله", "bd allh"},
        {EMB_SCHEME_ARAB_BGN, "عبد الرحمن", "bd al-rhmn"},
        {EMB_SCHEME_ARAB_BGN, "عبدالرحمن", "bd al-rhmn"},
        {EMB_SCHEME_ARAB_BGN, "مُحَمَّد", "mhmd"},
        {EMB_SCHEME_ARAB_BGN, "اَلرَّحْمٰن", "al-rhmn"},
        {EMB_SCHEME_ARAB_BGN, "محـــمد", "mhmd"},
        {EMB_SCHEME_ARAB_BGN, "أسامة بن لادن", "asamh bn ladn"},
        {EMB_SCHEME_ARAB_BGN, "إبراهيم آل ٱبن", "abrahym al abn"},
        {EMB_SCHEME_ARAB_BGN, "مصطفى", "mstfa"},
        {EMB_SCHEME_ARAB_BGN, "مسؤول رئيس ماء", "mswwl ryys ma"},
        {EMB_SCHEME_ARAB_BGN, "٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹", "0123456789 0123456789"},
        {EMB_SCHEME_ARAB_BGN, "صدام حسين", "sdam hsyn"},
        {EMB_SCHEME_ARAB_BGN, "ثامر ذياب ظاهر ضياء", "thamr dhyab zahr dya"},
        /* Persian, Pashto, Urdu letters */
        {EMB_SCHEME_ARAB_BGN, "محمد جواد ظریف", "mhmd jwad zryf"},
        {EMB_SCHEME_ARAB_BGN, "پژمان چگینی", "pzhman chgyny"},
        {EMB_SCHEME_ARAB_BGN, "ښځه ټولنه ډېر", "shdzh twlnh der"},
        {EMB_SCHEME_ARAB_BGN, "پاکستان ٹھٹھہ گڑھی", "pakstan ththh grhy"},
    };
    char got[BUF];
    int bad = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tr8(cases[i].s, cases[i].in, got, sizeof(got));
        if (strcmp(got, cases[i].out) != 0) {
            fprintf(stderr, "scheme %d: \"%s\" -> \"%s\", expected \"%s\"\n", (int)cases[i].s,
                    cases[i].in, got, cases[i].out);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void test_upper_case(void **state)
{
    (void)state;
    char a[BUF], b[BUF];
    for (int s = EMB_SCHEME_CYRL_BGN; s <= EMB_SCHEME_CYRL_GOST; s++) {
        tr8((emb_scheme)s, "ЮЛИЯ ЩЕГЛОВА, ЁЖ ЦЕНТР ЄЇҐЎ ЂЉ ӘҢ", a, sizeof(a));
        tr8((emb_scheme)s, "юлия щеглова, ёж центр єїґў ђљ әң", b, sizeof(b));
        assert_string_equal(a, b);
    }
    tr8(EMB_SCHEME_CYRL_BGN, "ЕЛЕНА", a, sizeof(a));
    assert_string_equal(a, "yelena");
}

static void test_pass_through(void **state)
{
    (void)state;
    /* Latin (with case and accents), digits, punctuation, Greek, Han, Hangul,
     * a supplementary-plane character: unchanged in every scheme */
    const char *other = "Kim Jong-Un, 1984; Émile Ωμέγα 金正恩 김정은 \xf0\xa0\x80\x8b ok";
    char got[BUF];
    for (int s = 0; s < EMB_SCHEME_COUNT; s++) {
        tr8((emb_scheme)s, other, got, sizeof(got));
        assert_string_equal(got, other);
    }
    /* each script's table leaves the other script alone */
    tr8(EMB_SCHEME_ARAB_BGN, "Путин محمد", got, sizeof(got));
    assert_string_equal(got, "Путин mhmd");
    tr8(EMB_SCHEME_CYRL_BGN, "Путин محمد", got, sizeof(got));
    assert_string_equal(got, "putin محمد");
    /* Cyrillic letters no table covers (Old Church Slavonic yat) pass through */
    tr8(EMB_SCHEME_CYRL_BGN, "ѣ", got, sizeof(got));
    assert_string_equal(got, "ѣ");
}

static void test_cap_and_empty(void **state)
{
    (void)state;
    UChar in[] = {0x0429, 'x', 0}; /* Щ x -> "shchx" (5 units) */
    UChar out[8];
    for (int32_t cap = 0; cap < 5; cap++)
        assert_int_equal(emb_translit_table(EMB_SCHEME_CYRL_BGN, in, 2, out, cap), -1);
    memset(out, 0xff, sizeof(out));
    assert_int_equal(emb_translit_table(EMB_SCHEME_CYRL_BGN, in, 2, out, 5), 5);
    assert_int_equal(out[5], 0xffff);   /* exact fit: no terminator written */
    assert_int_equal(emb_translit_table(EMB_SCHEME_CYRL_BGN, in, 2, out, 6), 5);
    assert_int_equal(out[5], 0);
    assert_int_equal(u_strncmp(out, u"shchx", 5), 0);
    /* n < 0: NUL-terminated input */
    assert_int_equal(emb_translit_table(EMB_SCHEME_CYRL_BGN, in, -1, out, 8), 5);
    /* pass-through characters count against cap too */
    UChar lat[] = {'a', 'b', 'c'};
    assert_int_equal(emb_translit_table(EMB_SCHEME_ARAB_BGN, lat, 3, out, 2), -1);
    assert_int_equal(emb_translit_table(EMB_SCHEME_ARAB_BGN, lat, 3, out, 3), 3);
    /* empty input */
    out[0] = 'z';
    assert_int_equal(emb_translit_table(EMB_SCHEME_CYRL_BGN, in, 0, out, 8), 0);
    assert_int_equal(out[0], 0);
    assert_int_equal(emb_translit_table(EMB_SCHEME_ARAB_BGN, NULL, 0, NULL, 0), 0);
    assert_int_equal(emb_translit_table(EMB_SCHEME_ARAB_BGN, u"", -1, out, 1), 0);
    /* a word dropped entirely (hamza) gives an empty output */
    assert_int_equal(emb_translit_table(EMB_SCHEME_ARAB_BGN, u"\u0621", 1, out, 0), 0);
    /* bad arguments */
    assert_int_equal(emb_translit_table(EMB_SCHEME_COUNT, in, 2, out, 8), -1);
    assert_int_equal(emb_translit_table(EMB_SCHEME_CYRL_BGN, in, 2, out, -1), -1);
}

static void test_scripts(void **state)
{
    (void)state;
    const unsigned cy = 1u << EMB_SCHEME_CYRL_BGN, ar = 1u << EMB_SCHEME_ARAB_BGN;
    assert_int_equal(emb_translit_table_scripts(u"Kim Jong Un", -1), 0);
    assert_int_equal(emb_translit_table_scripts(NULL, 0), 0);
    assert_int_equal(emb_translit_table_scripts(u"", 0), 0);
    assert_int_equal(emb_translit_table_scripts(u"Émile Ωμέγα 金正恩 김정은", -1), 0);
    assert_int_equal(emb_translit_table_scripts(u"Путин", -1), cy);
    assert_int_equal(emb_translit_table_scripts(u"ЄЇҐЎ", -1), cy);
    assert_int_equal(emb_translit_table_scripts(u"محمد", -1), ar);
    assert_int_equal(emb_translit_table_scripts(u"پژمان", -1), ar);
    assert_int_equal(emb_translit_table_scripts(u"١٢٣", -1), ar);
    assert_int_equal(emb_translit_table_scripts(u"Putin Путин محمد", -1), cy | ar);
    /* only n units are read */
    assert_int_equal(emb_translit_table_scripts(u"abcПутин", 3), 0);
    /* Arabic punctuation, harakat and tatweel alone are not Arabic letters */
    assert_int_equal(emb_translit_table_scripts(u"\u060C\u064E\u0640", -1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iuliia_samples),
        cmocka_unit_test(test_cldr_russian),
        cmocka_unit_test(test_cldr_persian_tolerance),
        cmocka_unit_test(test_icu_russian_bgn_equivalence),
        cmocka_unit_test(test_hand_cases),
        cmocka_unit_test(test_upper_case),
        cmocka_unit_test(test_pass_through),
        cmocka_unit_test(test_cap_and_empty),
        cmocka_unit_test(test_scripts),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    u_cleanup();
    return rc;
}
