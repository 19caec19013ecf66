/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/* The lookups the desks make all day, each served by an index. */

/* 0 when there is none. */
gint64  cb_store_find_certificate         (CbStore     *store,
                                           const char  *number,
                                           GError     **error);
gint64  cb_store_find_sample              (CbStore     *store,
                                           const char  *label,
                                           GError     **error);
/* Record ids, newest first, at most @limit (0: no limit). */
GArray *cb_store_find_records_by_customer (CbStore     *store,
                                           gint64       customer_id,
                                           guint        limit,
                                           GError     **error);
GArray *cb_store_find_records_by_serial   (CbStore     *store,
                                           const char  *serial,
                                           guint        limit,
                                           GError     **error);

G_END_DECLS
