<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "mine": the field agent's own list ("Mes interventions"), made for a phone:
  one card per request with one button to start and one to finish.
  page/mine (@return), item (@id @number @status @status-label @version @received
  @address @commune @object @object-complement @planned @started @phone
  @phone-display @requester).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="'mine.title'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <h1><xsl:apply-templates select="." mode="title"/></h1>
    <xsl:choose>
      <xsl:when test="mine/item">
        <ul class="cards">
          <xsl:apply-templates select="mine/item"/>
        </ul>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'mine.empty'"/>
          </xsl:call-template>
        </p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="item">
    <li class="card">
      <h2>
        <a href="{$base}/{@id}">
          <xsl:value-of select="concat('N° ', @number, ' — ', @object)"/>
        </a>
      </h2>
      <p class="card-address"><xsl:value-of select="concat(@address, ', ', @commune)"/></p>
      <xsl:if test="@object-complement != ''">
        <p><xsl:value-of select="@object-complement"/></p>
      </xsl:if>
      <p>
        <xsl:call-template name="label-colon">
          <xsl:with-param name="key" select="'field.statut'"/>
        </xsl:call-template>
        <strong><xsl:value-of select="@status-label"/></strong>
        <xsl:if test="@planned != ''">
          <xsl:text> — </xsl:text>
          <xsl:call-template name="label-colon">
            <xsl:with-param name="key" select="'field.date_planifiee'"/>
          </xsl:call-template>
          <xsl:value-of select="@planned"/>
        </xsl:if>
        <xsl:if test="@started != ''">
          <xsl:text> — </xsl:text>
          <xsl:call-template name="label-colon">
            <xsl:with-param name="key" select="'mine.started'"/>
          </xsl:call-template>
          <xsl:value-of select="@started"/>
        </xsl:if>
      </p>
      <xsl:if test="@phone != ''">
        <p>
          <a href="tel:{@phone}">
            <xsl:call-template name="label-colon">
              <xsl:with-param name="key" select="'mine.call'"/>
            </xsl:call-template>
            <xsl:value-of select="@requester"/>
            <xsl:text> </xsl:text>
            <xsl:value-of select="@phone-display"/>
          </a>
        </p>
      </xsl:if>
      <form class="one-tap" method="post" action="{$base}/{@id}/statut">
        <xsl:call-template name="csrf-field"/>
        <input type="hidden" name="version" value="{@version}"/>
        <input type="hidden" name="retour" value="{../@return}"/>
        <xsl:choose>
          <xsl:when test="@status = 'en_cours'">
            <input type="hidden" name="action" value="terminer"/>
            <button type="submit" class="button">
              <xsl:call-template name="msg-fill">
                <xsl:with-param name="key" select="'mine.finish'"/>
                <xsl:with-param name="a" select="string(@number)"/>
              </xsl:call-template>
            </button>
          </xsl:when>
          <xsl:otherwise>
            <input type="hidden" name="action" value="commencer"/>
            <button type="submit" class="button">
              <xsl:call-template name="msg-fill">
                <xsl:with-param name="key" select="'mine.start'"/>
                <xsl:with-param name="a" select="string(@number)"/>
              </xsl:call-template>
            </button>
          </xsl:otherwise>
        </xsl:choose>
      </form>
    </li>
  </xsl:template>

</xsl:stylesheet>
