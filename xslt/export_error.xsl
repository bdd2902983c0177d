<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "export_error": an export refused because a filter of its address is invalid
  (h_export.c, HTTP 422). The list page ignores such a filter and says so next to
  the field; a file cannot say anything, and would hold other requests than the ones
  chosen, so the export is not made.
    page/export (@format @list @count)   @list: the list with the same filters
    page/export/error (@field @key)      the filter and its message (list.error.*)
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="export" select="/page/export"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg-fill">
      <xsl:with-param name="key" select="'export.error.title'"/>
      <xsl:with-param name="a" select="$export/@count"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="narrow error-page">
      <h1><xsl:apply-templates select="." mode="title"/></h1>
      <p class="lead">
        <xsl:call-template name="msg-fill">
          <xsl:with-param name="key" select="'export.error.text'"/>
          <xsl:with-param name="a" select="translate($export/@format, 'csvxlod', 'CSVXLOD')"/>
        </xsl:call-template>
      </p>
      <div class="error-summary" role="alert" id="erreurs">
        <ul>
          <xsl:for-each select="$export/error">
            <li>
              <a href="{$export/@list}#{@field}">
                <xsl:call-template name="label-colon">
                  <xsl:with-param name="key" select="concat('list.field.', @field)"/>
                </xsl:call-template>
                <xsl:call-template name="msg">
                  <xsl:with-param name="key" select="@key"/>
                </xsl:call-template>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </div>
      <ul class="link-list">
        <li>
          <a href="{$export/@list}">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'export.error.back'"/>
            </xsl:call-template>
          </a>
        </li>
      </ul>
    </div>
  </xsl:template>

</xsl:stylesheet>
