/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "fuzz.h"
#include "sync/cb-sync-codec.h"

/* The sync batch decoder: what the server reads from any client. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CbSyncBatch) batch = cb_sync_batch_decode ((const char *) data, size, NULL);

  /* What decodes encodes again and decodes to the same. */
  if (batch != NULL)
    {
      g_autofree char *text = cb_sync_batch_encode (batch);
      g_autoptr(CbSyncBatch) again = cb_sync_batch_decode (text, strlen (text), NULL);

      g_assert_nonnull (again);
      g_assert_cmpuint (again->changes->len, ==, batch->changes->len);
      g_assert_cmpuint (again->rows->len, ==, batch->rows->len);
    }
  return 0;
}
