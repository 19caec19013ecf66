/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Certificates by number, and what the public may see of them
 * and of an order: the verification page shows a certificate's number,
 * kind, instrument, masked customer, dates and status; the status page an
 * order's progress by node.
 */

/* The nodes of an order's progress (seed 000 §6.1). */
typedef enum
{
  CB_ORDER_NODE_RECEIVED,
  CB_ORDER_NODE_ASSIGNED,
  CB_ORDER_NODE_TESTING,
  CB_ORDER_NODE_CHECKING,
  CB_ORDER_NODE_ISSUED,
  CB_ORDER_NODE_COMPLETED,
  CB_ORDER_N_NODES,
} CbOrderNode;

typedef struct
{
  char *number;
  char *kind;           /* original, supplement, replacement */
  char *status;         /* issued, superseded, withdrawn (draft is never public) */
  char *superseded_by;  /* the replacement's number, NULL when none */
  char *replaces;       /* the number this one replaces or supplements */
  char *instrument;     /* name, model and serial */
  char *customer;       /* the full name: the page masks it */
  char *calibrated_on;  /* YYYY-MM-DD, NULL when unknown */
  char *issued_at;
  char *sha256;         /* of the issued PDF, NULL without one */
} CbPublicCertificate;

typedef struct
{
  char     *number;
  char     *received;
  gboolean  reached[CB_ORDER_N_NODES];
  gboolean  cancelled;
} CbPublicOrder;

void                 cb_public_certificate_free       (CbPublicCertificate *certificate);
void                 cb_public_order_free             (CbPublicOrder       *order);

/* The ids of the records approved that have no certificate yet. */
GArray              *cb_store_records_approved_uncertified (CbStore *store,
                                                       GError      **error);
/* The id of certificate @number; 0 and NOT_FOUND when there is none. */
gint64               cb_store_certificate_find        (CbStore      *store,
                                                       const char   *number,
                                                       GError      **error);
/* NOT_FOUND for a number never issued (drafts included). */
CbPublicCertificate *cb_store_certificate_public      (CbStore      *store,
                                                       const char   *number,
                                                       GError      **error);
CbPublicOrder       *cb_store_order_public            (CbStore      *store,
                                                       const char   *number,
                                                       GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPublicCertificate, cb_public_certificate_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPublicOrder, cb_public_order_free)

G_END_DECLS
