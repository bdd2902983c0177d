<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "list": the dashboard of intervention requests.
  For now only its title and the empty state; the table (table.data) comes next.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="'list.title'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <h1>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'list.title'"/>
      </xsl:call-template>
    </h1>
    <p class="empty">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'list.empty'"/>
      </xsl:call-template>
    </p>
  </xsl:template>

</xsl:stylesheet>
