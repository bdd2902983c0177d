<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "request_form": recording a request (mode create) or editing it (mode edit).
  page/form: @mode, @action, @id, @number, @version; form/field (see _form.xsl);
  form/stale when someone saved the request in between (@by, @date, @time, and one
  difference per field: @name, @current, @yours).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:include href="_form.xsl"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg-fill">
      <xsl:with-param name="key" select="concat('form.title.', form/@mode)"/>
      <xsl:with-param name="a" select="string(form/@number)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <h1><xsl:apply-templates select="." mode="title"/></h1>
    <xsl:apply-templates select="form/stale"/>
    <xsl:call-template name="error-summary">
      <xsl:with-param name="fields" select="form/field[@error] | form/files[@error]"/>
    </xsl:call-template>
    <form class="form request-form" method="post" action="{form/@action}" novalidate="novalidate">
      <xsl:if test="form/files">
        <xsl:attribute name="enctype">multipart/form-data</xsl:attribute>
      </xsl:if>
      <xsl:call-template name="csrf-field"/>
      <xsl:if test="form/@version">
        <input type="hidden" name="version" value="{form/@version}"/>
      </xsl:if>
      <p class="hint">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'form.required.help'"/>
        </xsl:call-template>
      </p>
      <xsl:for-each select="form/field[not(@group = preceding-sibling::field/@group)]">
        <xsl:variable name="group" select="@group"/>
        <fieldset>
          <legend>
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="concat('group.', $group)"/>
            </xsl:call-template>
          </legend>
          <xsl:apply-templates select="../field[@group = $group]" mode="control"/>
        </fieldset>
      </xsl:for-each>
      <xsl:apply-templates select="form/files"/>
      <div class="form-actions">
        <button type="submit" class="button">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="concat('form.submit.', form/@mode)"/>
          </xsl:call-template>
        </button>
        <a href="{$base}/{form/@id}">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'form.cancel'"/>
          </xsl:call-template>
        </a>
      </div>
    </form>
  </xsl:template>

  <!-- Photos and documents sent with a new request. -->
  <xsl:template match="files">
    <fieldset>
      <legend>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'group.pieces'"/>
        </xsl:call-template>
      </legend>
      <xsl:call-template name="file-input">
        <xsl:with-param name="error" select="string(@error)"/>
        <xsl:with-param name="file" select="string(@file)"/>
      </xsl:call-template>
    </fieldset>
  </xsl:template>

  <xsl:template match="stale">
    <div class="notice notice-error" role="alert" id="modifiee-entre-temps">
      <p>
        <strong class="notice-kind">
          <xsl:call-template name="label-colon">
            <xsl:with-param name="key" select="'notice.error'"/>
          </xsl:call-template>
        </strong>
        <xsl:call-template name="msg-fill">
          <xsl:with-param name="key" select="'form.stale'"/>
          <xsl:with-param name="a" select="string(@by)"/>
          <xsl:with-param name="b" select="string(@time)"/>
        </xsl:call-template>
      </p>
      <p>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'form.stale.help'"/>
        </xsl:call-template>
      </p>
      <xsl:if test="difference">
        <table class="data differences">
          <caption>
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'form.stale.caption'"/>
            </xsl:call-template>
          </caption>
          <thead>
            <tr>
              <th scope="col"><xsl:call-template name="msg"><xsl:with-param name="key" select="'form.stale.field'"/></xsl:call-template></th>
              <th scope="col"><xsl:call-template name="msg"><xsl:with-param name="key" select="'form.stale.current'"/></xsl:call-template></th>
              <th scope="col"><xsl:call-template name="msg"><xsl:with-param name="key" select="'form.stale.yours'"/></xsl:call-template></th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="difference">
              <tr>
                <th scope="row">
                  <xsl:call-template name="msg">
                    <xsl:with-param name="key" select="concat('field.', @name)"/>
                  </xsl:call-template>
                </th>
                <td><xsl:value-of select="@current"/></td>
                <td><xsl:value-of select="@yours"/></td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </xsl:if>
    </div>
  </xsl:template>

</xsl:stylesheet>
