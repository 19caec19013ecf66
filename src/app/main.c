/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "cb-application.h"
#include "certificate/cb-certificate.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CbApplication) application = NULL;
  int status;

  cb_application_setup_i18n ();
  /* Before GTK makes its font map: previews and printing use them too. */
  cb_certificate_load_fonts ();
  application = cb_application_new ();
  status = g_application_run (G_APPLICATION (application), argc, argv);
  return status != 0 ? status : cb_application_get_exit_status (application);
}
