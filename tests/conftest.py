"""Every test runs ``jixiao check`` cold: a cold check would otherwise start a warm server
(``jixiao serve --auto``) that later checks of the suite would be served by.  The warm
tests start their own server on a private socket and clear this."""

import os

os.environ["JIXIAO_SERVE"] = "off"
