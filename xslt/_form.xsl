<?xml version="1.0" encoding="UTF-8"?>
<!--
  Partial: form controls shared by the request views. A field is described by
  <field name kind list required value display error/> (see request_view.c); the
  choices of selects by page/choices/choice[@list].
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <!-- The error summary at the top of a form: one link per field in error. -->
  <xsl:template name="error-summary">
    <xsl:param name="fields"/>
    <xsl:if test="$fields">
      <div class="error-summary" role="alert" tabindex="-1" id="erreurs">
        <h2>
          <xsl:call-template name="msg-fill">
            <xsl:with-param name="key" select="'form.errors.title'"/>
            <xsl:with-param name="a" select="count($fields)"/>
          </xsl:call-template>
        </h2>
        <ul>
          <xsl:for-each select="$fields">
            <xsl:variable name="name">
              <xsl:choose>
                <xsl:when test="self::files">pieces</xsl:when>
                <xsl:otherwise><xsl:value-of select="@name"/></xsl:otherwise>
              </xsl:choose>
            </xsl:variable>
            <li>
              <a href="#{$name}">
                <xsl:call-template name="label-colon">
                  <xsl:with-param name="key" select="concat('field.', $name)"/>
                </xsl:call-template>
                <xsl:call-template name="msg-fill">
                  <xsl:with-param name="key" select="@error"/>
                  <xsl:with-param name="a" select="string(@file)"/>
                </xsl:call-template>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- The file input for photos and PDF documents, with its error. -->
  <xsl:template name="file-input">
    <xsl:param name="error" select="''"/>
    <xsl:param name="file" select="''"/>
    <div class="field">
      <xsl:if test="$error != ''"><xsl:attribute name="class">field field-invalid</xsl:attribute></xsl:if>
      <label for="pieces">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'field.pieces'"/>
        </xsl:call-template>
      </label>
      <p class="hint" id="pieces-aide">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'hint.pieces'"/>
        </xsl:call-template>
      </p>
      <input type="file" id="pieces" name="pieces" multiple="multiple"
             accept="image/jpeg,image/png,image/webp,application/pdf">
        <xsl:call-template name="field-error-attributes">
          <xsl:with-param name="name" select="'pieces'"/>
          <xsl:with-param name="error" select="$error"/>
          <xsl:with-param name="hint" select="true()"/>
        </xsl:call-template>
      </input>
      <xsl:if test="$error != ''">
        <p class="field-error" id="pieces-erreur">
          <xsl:call-template name="msg-fill">
            <xsl:with-param name="key" select="$error"/>
            <xsl:with-param name="a" select="$file"/>
          </xsl:call-template>
          <xsl:text> </xsl:text>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'error.upload.reselect'"/>
          </xsl:call-template>
        </p>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- A select's options: an empty choice, then the list's values. -->
  <xsl:template name="options">
    <xsl:param name="list"/>
    <xsl:param name="value"/>
    <option value="">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'form.choose'"/>
      </xsl:call-template>
    </option>
    <xsl:for-each select="/page/choices/choice[@list = $list]">
      <option value="{@code}">
        <xsl:if test="@code = $value">
          <xsl:attribute name="selected">selected</xsl:attribute>
        </xsl:if>
        <xsl:value-of select="@label"/>
      </option>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="field-error-attributes">
    <xsl:param name="name"/>
    <xsl:param name="error"/>
    <xsl:param name="hint" select="false()"/>
    <xsl:if test="$error != ''">
      <xsl:attribute name="aria-invalid">true</xsl:attribute>
    </xsl:if>
    <xsl:if test="$error != '' or $hint">
      <xsl:attribute name="aria-describedby">
        <xsl:if test="$hint"><xsl:value-of select="concat($name, '-aide')"/></xsl:if>
        <xsl:if test="$hint and $error != ''"><xsl:text> </xsl:text></xsl:if>
        <xsl:if test="$error != ''"><xsl:value-of select="concat($name, '-erreur')"/></xsl:if>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- One labelled control with its hint and its error message. -->
  <xsl:template match="field" mode="control">
    <xsl:variable name="hint-key" select="concat('hint.', @name)"/>
    <xsl:variable name="hint">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="$hint-key"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="has-hint" select="$hint != $hint-key"/>
    <div class="field">
      <xsl:if test="@error">
        <xsl:attribute name="class">field field-invalid</xsl:attribute>
      </xsl:if>
      <label for="{@name}">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="concat('field.', @name)"/>
        </xsl:call-template>
        <xsl:if test="@required">
          <xsl:text> </xsl:text>
          <span class="required">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'form.required'"/>
            </xsl:call-template>
          </span>
        </xsl:if>
      </label>
      <xsl:if test="$has-hint">
        <p class="hint" id="{@name}-aide"><xsl:value-of select="$hint"/></p>
      </xsl:if>
      <xsl:apply-templates select="." mode="input">
        <xsl:with-param name="has-hint" select="$has-hint"/>
      </xsl:apply-templates>
      <xsl:if test="@error">
        <p class="field-error" id="{@name}-erreur">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="@error"/>
          </xsl:call-template>
        </p>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="field[@kind = 'select']" mode="input">
    <xsl:param name="has-hint"/>
    <select id="{@name}" name="{@name}">
      <xsl:if test="@required"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
      <xsl:call-template name="field-error-attributes">
        <xsl:with-param name="name" select="@name"/>
        <xsl:with-param name="error" select="string(@error)"/>
        <xsl:with-param name="hint" select="$has-hint"/>
      </xsl:call-template>
      <xsl:call-template name="options">
        <xsl:with-param name="list" select="@list"/>
        <xsl:with-param name="value" select="@value"/>
      </xsl:call-template>
    </select>
  </xsl:template>

  <xsl:template match="field[@kind = 'textarea']" mode="input">
    <xsl:param name="has-hint"/>
    <textarea id="{@name}" name="{@name}" rows="4">
      <xsl:call-template name="field-error-attributes">
        <xsl:with-param name="name" select="@name"/>
        <xsl:with-param name="error" select="string(@error)"/>
        <xsl:with-param name="hint" select="$has-hint"/>
      </xsl:call-template>
      <xsl:value-of select="@value"/>
    </textarea>
  </xsl:template>

  <xsl:template match="field" mode="input">
    <xsl:param name="has-hint"/>
    <xsl:variable name="type">
      <xsl:choose>
        <xsl:when test="@kind = 'datetime'">datetime-local</xsl:when>
        <xsl:when test="@kind = 'phone'">tel</xsl:when>
        <xsl:when test="@kind = 'email'">email</xsl:when>
        <xsl:otherwise>text</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <input type="{$type}" id="{@name}" name="{@name}" value="{@value}">
      <xsl:if test="@required"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
      <xsl:if test="@kind = 'phone'"><xsl:attribute name="autocomplete">tel</xsl:attribute></xsl:if>
      <xsl:if test="@kind = 'email'"><xsl:attribute name="autocomplete">email</xsl:attribute></xsl:if>
      <xsl:if test="@kind = 'number'"><xsl:attribute name="inputmode">decimal</xsl:attribute></xsl:if>
      <xsl:call-template name="field-error-attributes">
        <xsl:with-param name="name" select="@name"/>
        <xsl:with-param name="error" select="string(@error)"/>
        <xsl:with-param name="hint" select="$has-hint"/>
      </xsl:call-template>
    </input>
  </xsl:template>

</xsl:stylesheet>
