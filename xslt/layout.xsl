<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared page shell, imported by every view stylesheet.

  Contract with a view: it defines two templates matching "page", one in mode "title"
  (plain text, the page's name) and one in mode "main" (the content of <main>, starting
  with its h1). Everything else here reads only page/ctx, page/user, page/csrf, page/nav
  and page/notice, so a view never repeats the shell.

  Text comes from i18n/fr.xml through the template "msg", which calls the module's
  extension function iv:msg(): the module reads the catalogue once at start-up
  (mod_interventions/view.c) instead of every page parsing it with document().
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:iv="urn:mod-interventions" exclude-result-prefixes="iv">

  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:variable name="ctx" select="/page/ctx"/>
  <xsl:variable name="base" select="$ctx/@base"/>
  <xsl:variable name="logged-in" select="boolean(/page/user)"/>

  <!-- Catalogue text for $key, or $key itself when missing (visible, never silent). -->
  <xsl:template name="msg">
    <xsl:param name="key"/>
    <xsl:value-of select="iv:msg($key)"/>
  </xsl:template>

  <!-- Catalogue text for $key with the placeholders {a} and {b} filled in
       (iv:msg-fill, view.c). -->
  <xsl:template name="msg-fill">
    <xsl:param name="key"/>
    <xsl:param name="a" select="''"/>
    <xsl:param name="b" select="''"/>
    <xsl:value-of select="iv:msg-fill($key, string($a), string($b))"/>
  </xsl:template>

  <!-- "Label : " with the no-break space French typography puts before a colon. -->
  <xsl:template name="label-colon">
    <xsl:param name="key"/>
    <xsl:value-of select="iv:msg($key)"/>
    <xsl:text>&#160;: </xsl:text>
  </xsl:template>

  <!-- Id of the element showing a notice, so that fields can point at it
       (aria-describedby). Stable for a given key. -->
  <xsl:template name="notice-id">
    <xsl:param name="key"/>
    <xsl:value-of select="concat('avis-', translate($key, '._', '--'))"/>
  </xsl:template>

  <!-- Hidden anti-CSRF field, for every form that posts. -->
  <xsl:template name="csrf-field">
    <input type="hidden" name="csrf_token" value="{/page/csrf}"/>
  </xsl:template>

  <xsl:template match="/">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;</xsl:text>
    <html lang="fr">
      <head>
        <!-- libxslt's HTML serialiser adds this very element when it finds none, so a
             <meta charset> here would give two encoding declarations (invalid HTML5). -->
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:if test="page/notice[@kind = 'error']">
            <xsl:call-template name="label-colon">
              <xsl:with-param name="key" select="'title.error'"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:apply-templates select="page" mode="title"/>
          <xsl:text> — </xsl:text>
          <xsl:value-of select="iv:msg('app.name')"/>
        </title>
        <link rel="stylesheet" href="{$ctx/@static}/css/interventions.css"/>
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          <xsl:value-of select="iv:msg('skip')"/>
        </a>
        <xsl:apply-templates select="page" mode="header"/>
        <main id="contenu">
          <div class="container">
            <xsl:apply-templates select="page/notice"/>
            <xsl:apply-templates select="page" mode="main"/>
          </div>
        </main>
        <xsl:apply-templates select="page" mode="footer"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="page" mode="header">
    <header class="site-header">
      <div class="container header-bar">
        <p class="brand">
          <xsl:choose>
            <xsl:when test="$logged-in">
              <a class="brand-name" href="{$base}/">
                <xsl:value-of select="iv:msg('app.name')"/>
              </a>
            </xsl:when>
            <xsl:otherwise>
              <span class="brand-name">
                <xsl:value-of select="iv:msg('app.name')"/>
              </span>
            </xsl:otherwise>
          </xsl:choose>
          <span class="brand-tagline">
            <xsl:value-of select="iv:msg('app.tagline')"/>
          </span>
        </p>
        <xsl:apply-templates select="user"/>
      </div>
      <xsl:apply-templates select="nav[$logged-in]"/>
    </header>
  </xsl:template>

  <xsl:template match="user">
    <div class="user-box">
      <p class="user">
        <span class="visually-hidden">
          <xsl:call-template name="label-colon">
            <xsl:with-param name="key" select="'user.label'"/>
          </xsl:call-template>
        </span>
        <span class="user-name"><xsl:value-of select="@name"/></span>
        <xsl:if test="role">
          <xsl:text> </xsl:text>
          <span class="user-roles">
            <span class="visually-hidden">
              <xsl:call-template name="label-colon">
                <xsl:with-param name="key" select="'user.roles'"/>
              </xsl:call-template>
            </span>
            <xsl:for-each select="role">
              <xsl:if test="position() &gt; 1">, </xsl:if>
              <xsl:value-of select="iv:msg(concat('role.', @code))"/>
            </xsl:for-each>
          </span>
        </xsl:if>
      </p>
      <form class="logout" method="post" action="{$base}/deconnexion">
        <xsl:call-template name="csrf-field"/>
        <button type="submit" class="button button-secondary">
          <xsl:value-of select="iv:msg('logout')"/>
        </button>
      </form>
    </div>
  </xsl:template>

  <xsl:template match="nav">
    <nav class="main-nav">
      <xsl:attribute name="aria-label">
        <xsl:value-of select="iv:msg('nav.label')"/>
      </xsl:attribute>
      <div class="container">
        <ul>
          <xsl:for-each select="item">
            <li>
              <a href="{@href}">
                <xsl:if test="@current = '1'">
                  <xsl:attribute name="aria-current">page</xsl:attribute>
                </xsl:if>
                <xsl:value-of select="iv:msg(@key)"/>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </div>
    </nav>
  </xsl:template>

  <!-- Errors interrupt (alert); information and confirmation wait their turn (status). -->
  <xsl:template match="notice">
    <xsl:variable name="kind">
      <xsl:choose>
        <xsl:when test="@kind = 'error' or @kind = 'success'"><xsl:value-of select="@kind"/></xsl:when>
        <xsl:otherwise>info</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <div class="notice notice-{$kind}">
      <xsl:attribute name="id">
        <xsl:call-template name="notice-id">
          <xsl:with-param name="key" select="@key"/>
        </xsl:call-template>
      </xsl:attribute>
      <xsl:attribute name="role">
        <xsl:choose>
          <xsl:when test="$kind = 'error'">alert</xsl:when>
          <xsl:otherwise>status</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <p>
        <strong class="notice-kind">
          <xsl:call-template name="label-colon">
            <xsl:with-param name="key" select="concat('notice.', $kind)"/>
          </xsl:call-template>
        </strong>
        <!-- @a and @b fill the message's {a} and {b} (e.g. a request number) -->
        <xsl:call-template name="msg-fill">
          <xsl:with-param name="key" select="@key"/>
          <xsl:with-param name="a" select="string(@a)"/>
          <xsl:with-param name="b" select="string(@b)"/>
        </xsl:call-template>
      </p>
    </div>
  </xsl:template>

  <xsl:template match="page" mode="footer">
    <footer class="site-footer">
      <div class="container footer-bar">
        <p class="footer-name">
          <xsl:value-of select="iv:msg('app.name')"/>
          <xsl:text> — </xsl:text>
          <xsl:value-of select="iv:msg('app.tagline')"/>
        </p>
        <ul class="footer-links">
          <li>
            <!-- RGAA requires the conformity status in this link's text. -->
            <a href="{$base}/accessibilite">
              <xsl:if test="@view = 'accessibilite'">
                <xsl:attribute name="aria-current">page</xsl:attribute>
              </xsl:if>
              <xsl:call-template name="label-colon">
                <xsl:with-param name="key" select="'footer.accessibility'"/>
              </xsl:call-template>
              <xsl:value-of select="iv:msg('a11y.status.short')"/>
            </a>
          </li>
        </ul>
      </div>
    </footer>
  </xsl:template>

  <!-- A view that forgets a mode shows it plainly rather than an empty page. -->
  <xsl:template match="page" mode="title">
    <xsl:value-of select="@view"/>
  </xsl:template>
  <xsl:template match="page" mode="main">
    <h1><xsl:value-of select="@view"/></h1>
  </xsl:template>

</xsl:stylesheet>
