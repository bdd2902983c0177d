<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "admin_imports": the runs of the legacy import (tools/interventions-import), newest
  first: what each read, imported, corrected, found twice and rejected, why (the reasons
  counted), and its report CSV to download.

  Reads page/imports/import (@id @date @time @login @source @format (csv | mdb) @encoding
  @dry-run (1 | 0) @create-missing @read @imported @corrected @duplicates @rejected
  @already @report-lines), each with its reasons
    import/reason (@outcome: rejetee | doublon | corrigee | signalee; @text @rows).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="'imports.title'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <h1>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'imports.title'"/>
      </xsl:call-template>
    </h1>
    <p class="lead prose">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'imports.intro'"/>
      </xsl:call-template>
    </p>
    <xsl:choose>
      <xsl:when test="imports/import">
        <xsl:call-template name="runs-table"/>
        <xsl:apply-templates select="imports/import[reason]" mode="reasons"/>
      </xsl:when>
      <xsl:otherwise>
        <p class="prose">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'imports.none'"/>
          </xsl:call-template>
        </p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="col">
    <xsl:param name="key"/>
    <xsl:param name="num" select="false()"/>
    <th scope="col">
      <xsl:if test="$num"><xsl:attribute name="class">num</xsl:attribute></xsl:if>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="$key"/>
      </xsl:call-template>
    </th>
  </xsl:template>

  <xsl:template name="runs-table">
    <div class="table-wrap">
      <table class="data imports">
        <caption>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'imports.caption'"/>
          </xsl:call-template>
        </caption>
        <thead>
          <tr>
            <xsl:call-template name="col"><xsl:with-param name="key" select="'imports.col.id'"/></xsl:call-template>
            <xsl:call-template name="col"><xsl:with-param name="key" select="'imports.col.date'"/></xsl:call-template>
            <xsl:call-template name="col"><xsl:with-param name="key" select="'imports.col.source'"/></xsl:call-template>
            <xsl:call-template name="col"><xsl:with-param name="key" select="'imports.col.mode'"/></xsl:call-template>
            <xsl:call-template name="col">
              <xsl:with-param name="key" select="'imports.col.read'"/><xsl:with-param name="num" select="true()"/>
            </xsl:call-template>
            <xsl:call-template name="col">
              <xsl:with-param name="key" select="'imports.col.imported'"/><xsl:with-param name="num" select="true()"/>
            </xsl:call-template>
            <xsl:call-template name="col">
              <xsl:with-param name="key" select="'imports.col.corrected'"/><xsl:with-param name="num" select="true()"/>
            </xsl:call-template>
            <xsl:call-template name="col">
              <xsl:with-param name="key" select="'imports.col.duplicates'"/><xsl:with-param name="num" select="true()"/>
            </xsl:call-template>
            <xsl:call-template name="col">
              <xsl:with-param name="key" select="'imports.col.rejected'"/><xsl:with-param name="num" select="true()"/>
            </xsl:call-template>
            <xsl:call-template name="col">
              <xsl:with-param name="key" select="'imports.col.already'"/><xsl:with-param name="num" select="true()"/>
            </xsl:call-template>
            <xsl:call-template name="col"><xsl:with-param name="key" select="'imports.col.report'"/></xsl:call-template>
          </tr>
        </thead>
        <tbody>
          <xsl:apply-templates select="imports/import" mode="row"/>
        </tbody>
      </table>
    </div>
  </xsl:template>

  <xsl:template match="import" mode="row">
    <tr id="import-{@id}">
      <th scope="row" class="nowrap"><xsl:value-of select="@id"/></th>
      <td class="nowrap">
        <xsl:call-template name="msg-fill">
          <xsl:with-param name="key" select="'imports.at'"/>
          <xsl:with-param name="a" select="@date"/>
          <xsl:with-param name="b" select="@time"/>
        </xsl:call-template>
        <br/>
        <xsl:value-of select="@login"/>
      </td>
      <td>
        <xsl:value-of select="@source"/>
        <br/>
        <xsl:call-template name="msg-fill">
          <xsl:with-param name="key" select="concat('imports.format.', @format)"/>
          <xsl:with-param name="a" select="@encoding"/>
        </xsl:call-template>
      </td>
      <td>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="concat('imports.mode.', @dry-run)"/>
        </xsl:call-template>
        <xsl:if test="@create-missing = '1'">
          <br/>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'imports.mode.create'"/>
          </xsl:call-template>
        </xsl:if>
      </td>
      <td class="num"><xsl:value-of select="@read"/></td>
      <td class="num"><xsl:value-of select="@imported"/></td>
      <td class="num"><xsl:value-of select="@corrected"/></td>
      <td class="num"><xsl:value-of select="@duplicates"/></td>
      <td class="num"><xsl:value-of select="@rejected"/></td>
      <td class="num"><xsl:value-of select="@already"/></td>
      <td>
        <a href="{$base}/admin/imports/{@id}/rapport.csv" download="import-{@id}-rapport.csv">
          <xsl:call-template name="msg-fill">
            <xsl:with-param name="key" select="'imports.report.link'"/>
            <xsl:with-param name="a" select="@id"/>
          </xsl:call-template>
        </a>
        <br/>
        <xsl:call-template name="msg-fill">
          <xsl:with-param name="key" select="'imports.report.lines'"/>
          <xsl:with-param name="a" select="@report-lines"/>
        </xsl:call-template>
      </td>
    </tr>
  </xsl:template>

  <!-- The reasons of one run, by outcome. -->
  <xsl:template match="import" mode="reasons">
    <section class="import-reasons" aria-labelledby="motifs-{@id}">
      <h2 id="motifs-{@id}">
        <xsl:call-template name="msg-fill">
          <xsl:with-param name="key" select="'imports.reasons.title'"/>
          <xsl:with-param name="a" select="@id"/>
          <xsl:with-param name="b" select="@source"/>
        </xsl:call-template>
      </h2>
      <xsl:variable name="run" select="."/>
      <xsl:for-each select="reason[not(@outcome = preceding-sibling::reason/@outcome)]">
        <xsl:variable name="outcome" select="@outcome"/>
        <h3>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="concat('imports.outcome.', $outcome)"/>
          </xsl:call-template>
        </h3>
        <ul>
          <xsl:for-each select="$run/reason[@outcome = $outcome]">
            <li>
              <xsl:call-template name="msg-fill">
                <xsl:with-param name="key" select="'imports.reason'"/>
                <xsl:with-param name="a" select="@text"/>
                <xsl:with-param name="b" select="@rows"/>
              </xsl:call-template>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:for-each>
    </section>
  </xsl:template>

</xsl:stylesheet>
