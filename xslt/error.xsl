<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "error": a plain page for every HTTP error the module answers itself.
  Reads page/error/@key (catalogue prefix: <key>.title, <key>.text) and the optional
  page/error/@incident, the id also written to the error log for support.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="concat(error/@key, '.title')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="narrow error-page">
      <h1>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="concat(error/@key, '.title')"/>
        </xsl:call-template>
      </h1>
      <p class="lead">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="concat(error/@key, '.text')"/>
        </xsl:call-template>
      </p>
      <xsl:if test="string(error/@incident) != ''">
        <p class="incident">
          <xsl:call-template name="label-colon">
            <xsl:with-param name="key" select="'error.incident'"/>
          </xsl:call-template>
          <strong><xsl:value-of select="error/@incident"/></strong>
        </p>
      </xsl:if>
      <ul class="link-list">
        <li>
          <a href="{ctx/@base}/">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'error.back'"/>
            </xsl:call-template>
          </a>
        </li>
        <xsl:if test="not(user)">
          <li>
            <a href="{ctx/@base}/connexion">
              <xsl:call-template name="msg">
                <xsl:with-param name="key" select="'error.login'"/>
              </xsl:call-template>
            </a>
          </li>
        </xsl:if>
      </ul>
    </div>
  </xsl:template>

</xsl:stylesheet>
