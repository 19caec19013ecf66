/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Methods: verification regulations (JJG), calibration specifications
 * (JJF), standards and in-house methods.  Only current methods are used;
 * a withdrawn or superseded one stays for the records that used it.
 */

typedef struct
{
  gint64  id;
  char   *code;            /* JJG 52-2013 */
  char   *name;
  char   *kind;            /* verification-regulation, calibration-specification, standard, in-house */
  char   *status;          /* current, withdrawn, superseded */
  char   *effective_from;
  char   *withdrawn_on;
  gint64  superseded_by;   /* 0: none */
} CbMethod;

void        cb_method_free                (CbMethod     *method);

/* Refuses a second current method with the same code. */
gint64      cb_store_method_add           (CbStore      *store,
                                           const char   *code,
                                           const char   *name,
                                           const char   *kind,
                                           const char   *effective_from,
                                           GError      **error);
CbMethod   *cb_store_method_get           (CbStore      *store,
                                           gint64        method_id,
                                           GError      **error);
/* The current method with @code, 0 when there is none. */
gint64      cb_store_method_find_current  (CbStore      *store,
                                           const char   *code,
                                           GError      **error);
/* CbMethod by code; withdrawn and superseded ones only when asked. */
GPtrArray  *cb_store_method_list          (CbStore      *store,
                                           gboolean      include_withdrawn,
                                           GError      **error);
/* Withdraws a current method on @withdrawn_on (YYYY-MM-DD); with
 * @superseded_by (a current method) it becomes superseded instead. */
gboolean    cb_store_method_withdraw      (CbStore      *store,
                                           gint64        method_id,
                                           const char   *withdrawn_on,
                                           gint64        superseded_by,
                                           const char   *reason,
                                           GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbMethod, cb_method_free)

G_END_DECLS
