/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Orders (委托单) and their lines, quotations (reviewed, then approved by
 * someone else), contracts and the fees charged under an order or a
 * contract.  Amounts are in cents (fen).
 */

typedef struct
{
  gint64  id;
  char   *number;
  gint64  customer_id;
  char   *received;
  char   *due;
  char   *requirements;
  char   *decision_rule;
  char   *state;   /* draft, received, in-progress, completed, handed-over, cancelled */
} CbOrder;

typedef struct
{
  gint64  id;
  gint64  order_id;
  gint64  ledger_id;
  char   *item;
  gint64  quantity;
  char   *accessories;
  gint64  fee_cents;   /* -1: not priced */
} CbOrderLine;

typedef struct
{
  gint64  id;
  gint64  order_id;
  gint64  amount_cents;
  char   *state;       /* draft, reviewed, approved, rejected */
  gint64  reviewed_by;
  gint64  approved_by;
} CbQuotation;

typedef struct
{
  gint64  id;
  gint64  customer_id;
  char   *number;
  char   *signed_on;
  gint64  amount_cents;  /* -1: open amount */
} CbContract;

typedef struct
{
  gint64    id;
  gint64    order_id;     /* 0 when charged under the contract only */
  gint64    contract_id;  /* 0 when outside a contract */
  gint64    amount_cents;
  gboolean  paid;
} CbFee;

void          cb_order_free                  (CbOrder      *order);
void          cb_order_line_free             (CbOrderLine  *line);
void          cb_quotation_free              (CbQuotation  *quotation);
void          cb_contract_free               (CbContract   *contract);
void          cb_fee_free                    (CbFee        *fee);

/* The next free order number for @date (YYYY-MM-DD): WT20261123-0001. */
char         *cb_store_order_next_number     (CbStore      *store,
                                              const char   *date,
                                              GError      **error);
/* @number NULL: the next free number for @received. */
gint64        cb_store_order_add             (CbStore      *store,
                                              const char   *number,
                                              gint64        customer_id,
                                              const char   *received,
                                              const char   *due,
                                              const char   *requirements,
                                              const char   *decision_rule,
                                              GError      **error);
CbOrder      *cb_store_order_get             (CbStore      *store,
                                              gint64        order_id,
                                              GError      **error);
/* CbOrder of @customer_id (all when 0), newest first. */
GPtrArray    *cb_store_order_list            (CbStore      *store,
                                              gint64        customer_id,
                                              GError      **error);
gboolean      cb_store_order_set_state       (CbStore      *store,
                                              gint64        order_id,
                                              const char   *state,
                                              const char   *reason,
                                              GError      **error);

/* @fee_cents -1 when not priced yet. */
gint64        cb_store_order_line_add        (CbStore      *store,
                                              gint64        order_id,
                                              gint64        ledger_id,
                                              const char   *item,
                                              gint64        quantity,
                                              const char   *accessories,
                                              gint64        fee_cents,
                                              GError      **error);
GPtrArray    *cb_store_order_line_list       (CbStore      *store,
                                              gint64        order_id,
                                              GError      **error);

gint64        cb_store_quotation_add         (CbStore      *store,
                                              gint64        order_id,
                                              gint64        amount_cents,
                                              GError      **error);
/* draft → reviewed, by @staff_id. */
gboolean      cb_store_quotation_review      (CbStore      *store,
                                              gint64        quotation_id,
                                              gint64        staff_id,
                                              GError      **error);
/* reviewed → approved, by someone other than the reviewer. */
gboolean      cb_store_quotation_approve     (CbStore      *store,
                                              gint64        quotation_id,
                                              gint64        staff_id,
                                              GError      **error);
gboolean      cb_store_quotation_reject      (CbStore      *store,
                                              gint64        quotation_id,
                                              gint64        staff_id,
                                              const char   *reason,
                                              GError      **error);
GPtrArray    *cb_store_quotation_list        (CbStore      *store,
                                              gint64        order_id,
                                              GError      **error);

/* @amount_cents -1 for an open amount. */
gint64        cb_store_contract_add          (CbStore      *store,
                                              gint64        customer_id,
                                              const char   *number,
                                              const char   *signed_on,
                                              gint64        amount_cents,
                                              GError      **error);
GPtrArray    *cb_store_contract_list         (CbStore      *store,
                                              gint64        customer_id,
                                              GError      **error);

/* At least one of @order_id and @contract_id. */
gint64        cb_store_fee_add               (CbStore      *store,
                                              gint64        order_id,
                                              gint64        contract_id,
                                              gint64        amount_cents,
                                              GError      **error);
gboolean      cb_store_fee_set_paid          (CbStore      *store,
                                              gint64        fee_id,
                                              const char   *reason,
                                              GError      **error);
/* CbFee under @order_id or @contract_id (one of them 0). */
GPtrArray    *cb_store_fee_list              (CbStore      *store,
                                              gint64        order_id,
                                              gint64        contract_id,
                                              GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbOrder, cb_order_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbOrderLine, cb_order_line_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbQuotation, cb_quotation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbContract, cb_contract_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbFee, cb_fee_free)

G_END_DECLS
