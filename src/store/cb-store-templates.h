/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Record templates and their versions.  A version moves draft → submitted
 * → approved → retired; it is approved by an approver other than its
 * author (the schema holds that too), and approving it retires the version
 * approved before, so that one version of a template is in use at a time.
 * A submitted version may be sent back to draft with a reason.
 */

typedef struct
{
  gint64  id;
  char   *name;
  char   *item;
  gint64  method_id;   /* 0: none */
} CbStoredTemplate;

typedef struct
{
  gint64  id;
  gint64  template_id;
  gint64  version;
  char   *document;
  char   *state;       /* draft, submitted, approved, retired */
  gint64  author_id;
  gint64  approved_by; /* 0 until approved */
  char   *approved_at;
} CbStoredTemplateVersion;

void               cb_stored_template_free                   (CbStoredTemplate         *template_);
void               cb_stored_template_version_free           (CbStoredTemplateVersion  *version);

gint64             cb_store_template_add              (CbStore            *store,
                                                       const char         *name,
                                                       const char         *item,
                                                       gint64              method_id,
                                                       GError            **error);
CbStoredTemplate        *cb_store_template_get              (CbStore            *store,
                                                       gint64              template_id,
                                                       GError            **error);
/* CbStoredTemplate by item and name; for @item only when set. */
GPtrArray         *cb_store_template_list             (CbStore            *store,
                                                       const char         *item,
                                                       GError            **error);

/* A new draft version (numbered after the last) written by @author_id. */
gint64             cb_store_template_version_add      (CbStore            *store,
                                                       gint64              template_id,
                                                       gint64              author_id,
                                                       const char         *document,
                                                       GError            **error);
CbStoredTemplateVersion *cb_store_template_version_get      (CbStore            *store,
                                                       gint64              version_id,
                                                       GError            **error);
/* CbStoredTemplateVersion of the template, by version number. */
GPtrArray         *cb_store_template_version_list     (CbStore            *store,
                                                       gint64              template_id,
                                                       GError            **error);
/* Only a draft changes its document; only its author changes it. */
gboolean           cb_store_template_version_edit     (CbStore            *store,
                                                       gint64              version_id,
                                                       gint64              staff_id,
                                                       const char         *document,
                                                       const char         *reason,
                                                       GError            **error);
/* draft → submitted, by the author. */
gboolean           cb_store_template_version_submit   (CbStore            *store,
                                                       gint64              version_id,
                                                       gint64              staff_id,
                                                       GError            **error);
/* submitted → draft, with a reason, by an approver. */
gboolean           cb_store_template_version_reject   (CbStore            *store,
                                                       gint64              version_id,
                                                       gint64              staff_id,
                                                       const char         *reason,
                                                       GError            **error);
/* submitted → approved, by an approver who is not the author; the version
 * approved before is retired. */
gboolean           cb_store_template_version_approve  (CbStore            *store,
                                                       gint64              version_id,
                                                       gint64              approver_id,
                                                       GError            **error);
/* approved → retired. */
gboolean           cb_store_template_version_retire   (CbStore            *store,
                                                       gint64              version_id,
                                                       const char         *reason,
                                                       GError            **error);
/* The approved version of the template, 0 when there is none. */
gint64             cb_store_template_current_version  (CbStore            *store,
                                                       gint64              template_id,
                                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbStoredTemplate, cb_stored_template_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbStoredTemplateVersion, cb_stored_template_version_free)

G_END_DECLS
