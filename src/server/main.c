/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "cb-server.h"

int
main (int    argc,
      char **argv)
{
  return cb_server_main (argc, argv);
}
