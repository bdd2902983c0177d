<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "tour": why the tour sheet (fiches.pdf, h_tour.c) was not printed, from
  page/tour:
    @reason   errors | too_many (the title then starts with "Erreur") | empty
    @max      the most requests a sheet holds
    @back     the list with the same filters, to change them
    error[@field @key]   (errors) a filter that cannot be applied, with its message
                         key (list.error.*, as the list page shows it by the field)
  The reason and the filters' errors are one alert: read together, after the h1.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="tour" select="/page/tour"/>

  <xsl:template match="page" mode="title">
    <xsl:if test="$tour/@reason != 'empty'">
      <xsl:call-template name="label-colon">
        <xsl:with-param name="key" select="'title.error'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="'tour.title'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="narrow">
      <h1>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'tour.title'"/>
        </xsl:call-template>
      </h1>
      <div id="tournee-motif">
        <xsl:choose>
          <xsl:when test="$tour/@reason = 'empty'">
            <xsl:attribute name="class">notice notice-info</xsl:attribute>
            <xsl:attribute name="role">status</xsl:attribute>
          </xsl:when>
          <xsl:otherwise>
            <xsl:attribute name="class">notice notice-error</xsl:attribute>
            <xsl:attribute name="role">alert</xsl:attribute>
          </xsl:otherwise>
        </xsl:choose>
        <p>
          <xsl:call-template name="msg-fill">
            <xsl:with-param name="key" select="concat('tour.', $tour/@reason)"/>
            <xsl:with-param name="a" select="string($tour/@max)"/>
          </xsl:call-template>
        </p>
        <xsl:if test="$tour/error">
          <ul>
            <xsl:for-each select="$tour/error">
              <li>
                <xsl:call-template name="label-colon">
                  <xsl:with-param name="key" select="concat('list.field.', @field)"/>
                </xsl:call-template>
                <xsl:call-template name="msg">
                  <xsl:with-param name="key" select="@key"/>
                </xsl:call-template>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:if>
      </div>
      <ul class="link-list">
        <li>
          <a href="{$tour/@back}">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'tour.back'"/>
            </xsl:call-template>
          </a>
        </li>
      </ul>
    </div>
  </xsl:template>

</xsl:stylesheet>
