<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "admin_refs_index": the reference lists an administrator edits, each with how
  many of its values are active (offered in new forms) out of all.
  Reads page/lists/list/@name (catalogue key refs.list.<name>, URL segment), @active,
  @total.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="'refs.title'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <h1>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'refs.title'"/>
      </xsl:call-template>
    </h1>
    <p class="lead prose">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'refs.intro'"/>
      </xsl:call-template>
    </p>
    <div class="table-wrap">
      <table class="data refs-index">
        <caption>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'refs.index.caption'"/>
          </xsl:call-template>
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <xsl:call-template name="msg">
                <xsl:with-param name="key" select="'refs.col.list'"/>
              </xsl:call-template>
            </th>
            <th scope="col" class="num">
              <xsl:call-template name="msg">
                <xsl:with-param name="key" select="'refs.col.active'"/>
              </xsl:call-template>
            </th>
            <th scope="col" class="num">
              <xsl:call-template name="msg">
                <xsl:with-param name="key" select="'refs.col.total'"/>
              </xsl:call-template>
            </th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="lists/list">
            <tr>
              <th scope="row">
                <a href="{$base}/admin/referentiels/{@name}">
                  <xsl:call-template name="msg">
                    <xsl:with-param name="key" select="concat('refs.list.', @name)"/>
                  </xsl:call-template>
                </a>
              </th>
              <td class="num"><xsl:value-of select="@active"/></td>
              <td class="num"><xsl:value-of select="@total"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

</xsl:stylesheet>
