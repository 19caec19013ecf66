/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Staff, their roles, qualifications (the metrologist's certificate) and
 * authorisations (who may perform, check or approve which item, and until
 * when).  Every write is audited; nothing is deleted.
 */

typedef struct
{
  gint64    id;
  char     *login;
  char     *name;
  char     *printed_name;  /* the name printed on certificates; NULL for the name */
  gboolean  active;
  char    **roles;         /* reception, metrologist, checker, approver, admin */
} CbStaff;

typedef struct
{
  gint64  id;
  gint64  staff_id;
  char   *certificate_no;
  char   *discipline;
  char   *issuer;
  char   *valid_from;
  char   *valid_until;
} CbQualification;

typedef struct
{
  gint64  id;
  gint64  staff_id;
  char   *item;
  char   *kind;         /* perform, check or approve */
  char   *valid_from;
  char   *valid_until;
} CbAuthorisation;

void             cb_staff_free                 (CbStaff          *staff);
void             cb_qualification_free         (CbQualification  *qualification);
void             cb_authorisation_free         (CbAuthorisation  *authorisation);

/* @login: letters, digits, dots, dashes or underscores, unique. */
gint64           cb_store_staff_add            (CbStore          *store,
                                                const char       *login,
                                                const char       *name,
                                                const char       *printed_name,
                                                GError          **error);
CbStaff         *cb_store_staff_get            (CbStore          *store,
                                                gint64            staff_id,
                                                GError          **error);
/* 0 when nobody has @login. */
gint64           cb_store_staff_find           (CbStore          *store,
                                                const char       *login,
                                                GError          **error);
/* CbStaff, by name; inactive staff only when asked. */
GPtrArray       *cb_store_staff_list           (CbStore          *store,
                                                gboolean          include_inactive,
                                                GError          **error);
gboolean         cb_store_staff_set_active     (CbStore          *store,
                                                gint64            staff_id,
                                                gboolean          active,
                                                const char       *reason,
                                                GError          **error);
gint64           cb_store_staff_add_role       (CbStore          *store,
                                                gint64            staff_id,
                                                const char       *role,
                                                GError          **error);
gboolean         cb_store_staff_has_role       (CbStore          *store,
                                                gint64            staff_id,
                                                const char       *role);

gint64           cb_store_qualification_add    (CbStore          *store,
                                                gint64            staff_id,
                                                const char       *certificate_no,
                                                const char       *discipline,
                                                const char       *issuer,
                                                const char       *valid_from,
                                                const char       *valid_until,
                                                GError          **error);
/* CbQualification of @staff_id, latest expiry first. */
GPtrArray       *cb_store_qualification_list   (CbStore          *store,
                                                gint64            staff_id,
                                                GError          **error);

/* @kind: perform, check or approve; dates as YYYY-MM-DD. */
gint64           cb_store_authorisation_add    (CbStore          *store,
                                                gint64            staff_id,
                                                const char       *item,
                                                const char       *kind,
                                                const char       *valid_from,
                                                const char       *valid_until,
                                                GError          **error);
/* CbAuthorisation of @staff_id, by item and kind. */
GPtrArray       *cb_store_authorisation_list   (CbStore          *store,
                                                gint64            staff_id,
                                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbStaff, cb_staff_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbQualification, cb_qualification_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbAuthorisation, cb_authorisation_free)

G_END_DECLS
