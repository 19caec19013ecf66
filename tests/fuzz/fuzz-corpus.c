/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "fuzz.h"

/* A fuzz target as a short test: every file of its corpus, then a fixed
 * number of variants of each (cut short, bytes flipped, bytes inserted),
 * from a fixed seed so that a failure repeats. */

#define VARIANTS 2000

static void
run_variants (const char *data,
              gsize       length,
              GRand      *rand)
{
  for (guint i = 0; i < VARIANTS; i++)
    {
      g_autoptr(GByteArray) variant = g_byte_array_new ();
      guint kind = g_rand_int_range (rand, 0, 3);

      g_byte_array_append (variant, (const guint8 *) data, length);
      if (variant->len == 0 || kind == 2)
        {
          static const char pieces[][8] = { "{", "}", "[", "]", "\"", ",", ":", "null", "-1", "1e309", "\\u0000", "\xff" };
          const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];
          guint at = variant->len ? g_rand_int_range (rand, 0, variant->len) : 0;

          g_array_insert_vals ((GArray *) variant, at, piece, strlen (piece));
        }
      else if (kind == 0)
        g_byte_array_set_size (variant, g_rand_int_range (rand, 0, variant->len));
      else
        variant->data[g_rand_int_range (rand, 0, variant->len)] ^= (guint8) g_rand_int_range (rand, 1, 256);
      LLVMFuzzerTestOneInput (variant->data, variant->len);
    }
}

static void
test_corpus (gconstpointer data)
{
  const char *dir = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = g_dir_open (dir, 0, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      run_variants (contents, length, rand);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/fuzz/" FUZZ_NAME "/corpus", CORPUS_DIR, test_corpus);
  return g_test_run ();
}
